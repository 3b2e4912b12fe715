// Package markdown writes Markdown.
package markdown

import "strings"

// Heading renders s as a heading of the given level.
func Heading(level int, s string) string {
	return strings.Repeat("#", level) + " " + s
}
