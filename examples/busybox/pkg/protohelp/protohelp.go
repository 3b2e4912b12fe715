// Package protohelp converts between protobuf-style field names and the
// names the JSON and GraphQL APIs expose.
package protohelp

import "strings"

// JSONName converts a snake_case field name to lowerCamelCase.
func JSONName(field string) string {
	var b strings.Builder
	upper := false
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c == '_' {
			upper = b.Len() > 0
			continue
		}
		if upper && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		upper = false
		b.WriteByte(c)
	}
	return b.String()
}
