// Package ast declares the syntax tree of GraphQL documents.
package ast

// Pos is a byte offset in the source.
type Pos int

// Document is a parsed GraphQL document.
type Document struct {
	Definitions []*Operation
}

// Operation is a query, mutation or subscription.
type Operation struct {
	Pos       Pos
	Kind      string // "query", "mutation" or "subscription"
	Name      string
	Selection []*Field
}

// Field is a selected field with its arguments and sub-selection.
type Field struct {
	Pos       Pos
	Alias     string
	Name      string
	Arguments []*Argument
	Selection []*Field
}

// Argument is name: value; values are kept as source text.
type Argument struct {
	Name  string
	Value string
}

// Walk calls fn on f and its sub-selections, depth first.
func Walk(f *Field, fn func(*Field)) {
	fn(f)
	for _, s := range f.Selection {
		Walk(s, fn)
	}
}
