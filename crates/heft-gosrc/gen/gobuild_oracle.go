//go:build ignore

// Differential-test oracle: classifies Go files with go/build (the code
// path `go list` uses for freshly modified files) and prints one line per
// file in the format of examples/gosrc_check.rs:
//
//	name \t class \t package \t imports \t error
//
// class is go (GoFiles), cgo (CgoFiles), ignored (IgnoredGoFiles), invalid+go,
// invalid+ignored, invalid, or none. Each file is checked alone in a
// temporary directory.
//
//	GOOS=... GOARCH=... CGO_ENABLED=... go run gobuild_oracle.go [-tags a,b] files...
package main

import (
	"flag"
	"fmt"
	"go/build"
	"go/scanner"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	tags := flag.String("tags", "", "comma-separated build tags")
	flag.Parse()
	ctxt := build.Default
	if *tags != "" {
		ctxt.BuildTags = strings.Split(*tags, ",")
	}
	tmp, err := os.MkdirTemp("", "oracle")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)
	for i, f := range flag.Args() {
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		dir := filepath.Join(tmp, fmt.Sprint(i))
		os.Mkdir(dir, 0o755)
		name := filepath.Base(f)
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
		p, err := ctxt.ImportDir(dir, 0)
		var class []string
		if slices.Contains(p.InvalidGoFiles, name) {
			class = append(class, "invalid")
		}
		switch {
		case slices.Contains(p.GoFiles, name):
			class = append(class, "go")
		case slices.Contains(p.CgoFiles, name):
			class = append(class, "cgo")
		case slices.Contains(p.IgnoredGoFiles, name):
			class = append(class, "ignored")
		}
		if len(class) == 0 {
			class = append(class, "none")
		}
		var imps []string
		for _, path := range p.Imports {
			for _, pos := range p.ImportPos[path] {
				fn := pos.Filename
				if fn == filepath.Join(dir, name) {
					fn = ""
				} else {
					fn = strings.TrimPrefix(fn, dir+"/")
				}
				imps = append(imps, fmt.Sprintf("%q@%s:%d:%d", path, fn, pos.Line, pos.Column))
			}
		}
		slices.Sort(imps)
		msg := ""
		if err != nil {
			if el, ok := err.(scanner.ErrorList); ok {
				// go list reports only the first error of a list.
				err = el[0]
			}
			if _, ok := err.(*build.NoGoError); !ok {
				msg = strings.ReplaceAll(err.Error(), dir+"/", "")
				msg = strings.ReplaceAll(msg, "\n", "\\n")
			}
		}
		fmt.Printf("%s\t%s\t%s\t%s\t%s\n", name, strings.Join(class, "+"), p.Name, strings.Join(imps, " "), msg)
	}
}
