// Package render renders text for terminals and documents.
package render

import "example.com/busybox/pkg/render/markdown"

// Title renders s as a top-level heading.
func Title(s string) string {
	return markdown.Heading(1, s)
}
