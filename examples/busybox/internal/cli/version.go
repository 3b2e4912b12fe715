package cli

import (
	"fmt"
	"io"

	// SHAPE move-to-its-only-caller-import: every binary links cli, but
	// only PrintVersion uses buildinfo, and only internal/server calls
	// PrintVersion. Cut: move PrintVersion to internal/server, its only
	// caller; the agent and admission binaries are then free of buildinfo.
	"example.com/busybox/pkg/buildinfo"
)

// PrintVersion writes the name and release of the binary.
func PrintVersion(w io.Writer, name string) {
	var info buildinfo.Info = buildinfo.Read()
	fmt.Fprintf(w, "%s %s (major version %s)\n", name, info.Version, info.Major)
}
