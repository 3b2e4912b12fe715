// Package graphql parses and inspects GraphQL queries.
package graphql

import (
	"example.com/busybox/pkg/graphql/ast"
	"example.com/busybox/pkg/graphql/parser"
)

// Parse parses a query document.
func Parse(src string) (*ast.Document, error) { return parser.Parse(src) }

// Depth returns the deepest selection nesting of doc.
func Depth(doc *ast.Document) int {
	max := 0
	var walk func(fs []*ast.Field, d int)
	walk = func(fs []*ast.Field, d int) {
		if len(fs) > 0 && d > max {
			max = d
		}
		for _, f := range fs {
			walk(f.Selection, d+1)
		}
	}
	for _, op := range doc.Definitions {
		walk(op.Selection, 1)
	}
	return max
}
