// Package cli holds the flag handling shared by all components.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

// Component is one program that the busybox binary can run.
type Component struct {
	Name    string
	Summary string
	Main    func(args []string) int
}

// FlagSet returns a flag set whose usage text starts with synopsis.
func FlagSet(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(os.Stdout)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s\n", synopsis)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(fs.Output(), "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// Parse parses args. When done is true the caller returns code at once:
// 0 after --help, 2 after a usage error.
func Parse(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return 0, false
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	default:
		return 2, true
	}
}

// Fail prints err prefixed by the component name and returns exit code 1.
func Fail(name string, err error) int {
	fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
	return 1
}
