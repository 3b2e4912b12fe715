// Package mimetypes maps file extensions to media types without consulting
// the host's mime.types files.
package mimetypes

import (
	"path"
	"strings"
)

// ByExtension returns the media type for ext (with its dot), or
// "application/octet-stream".
func ByExtension(ext string) string {
	if t, ok := byExt[strings.ToLower(ext)]; ok {
		return t
	}
	return "application/octet-stream"
}

// ForPath returns the media type for the file name p.
func ForPath(p string) string { return ByExtension(path.Ext(p)) }

// Len returns the number of known extensions.
func Len() int { return len(byExt) }
