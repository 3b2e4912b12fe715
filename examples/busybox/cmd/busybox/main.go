// Command busybox links every component into one binary. It dispatches on
// the name it was invoked as (a symlink named agent, server or admission) or,
// failing that, on its first argument:
//
//	busybox agent --help
//	ln -s busybox server && ./server
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"example.com/busybox/internal/admission"
	"example.com/busybox/internal/agent"
	"example.com/busybox/internal/cli"
	"example.com/busybox/internal/server"
)

var components = []cli.Component{
	agent.Component,
	server.Component,
	admission.Component,
}

func main() {
	os.Exit(run(os.Args))
}

func run(argv []string) int {
	self := strings.TrimSuffix(filepath.Base(argv[0]), ".exe")
	if c, ok := lookup(self); ok {
		return c.Main(argv[1:])
	}
	if len(argv) < 2 || argv[1] == "-h" || argv[1] == "-help" || argv[1] == "--help" || argv[1] == "help" {
		usage()
		return 0
	}
	if c, ok := lookup(argv[1]); ok {
		return c.Main(argv[2:])
	}
	fmt.Fprintf(os.Stderr, "busybox: unknown component %q\n", argv[1])
	usage()
	return 2
}

func lookup(name string) (cli.Component, bool) {
	for _, c := range components {
		if c.Name == name {
			return c, true
		}
	}
	return cli.Component{}, false
}

func usage() {
	fmt.Println("usage: busybox <component> [flags]")
	fmt.Println()
	for _, c := range components {
		fmt.Printf("  %-10s %s\n", c.Name, c.Summary)
	}
}
