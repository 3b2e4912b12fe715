// Package buildinfo says which release a binary is.
package buildinfo

import "strings"

// Version is set when linking:
// -ldflags "-X example.com/busybox/pkg/buildinfo.Version=v1.2.3".
var Version = "(devel)"

// Info is the release and its major version.
type Info struct {
	Version, Major string
}

// Read returns the binary's release.
func Read() Info {
	major, _, _ := strings.Cut(strings.TrimPrefix(Version, "v"), ".")
	return Info{Version: Version, Major: major}
}
