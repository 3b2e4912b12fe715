// Package parser parses GraphQL executable documents.
package parser

import (
	"fmt"
	"strings"

	"example.com/busybox/pkg/graphql/ast"
	"example.com/busybox/pkg/graphql/lexer"
)

type parser struct {
	lx  *lexer.Lexer
	tok lexer.Token
	err error
}

// Parse parses src.
func Parse(src string) (*ast.Document, error) {
	p := &parser{lx: lexer.New(src)}
	p.next()
	doc := &ast.Document{}
	for p.err == nil && p.tok.Kind != lexer.EOF {
		doc.Definitions = append(doc.Definitions, p.operation())
	}
	return doc, p.err
}

func (p *parser) next() {
	if p.err != nil {
		return
	}
	p.tok, p.err = p.lx.Next()
}

func (p *parser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("graphql: %d: %s", p.tok.Pos, fmt.Sprintf(format, args...))
	}
}

func (p *parser) expect(text string) {
	if p.tok.Text != text {
		p.fail("expected %q, found %q", text, p.tok.Text)
	}
	p.next()
}

func (p *parser) operation() *ast.Operation {
	op := &ast.Operation{Pos: ast.Pos(p.tok.Pos), Kind: "query"}
	if p.tok.Kind == lexer.Name {
		op.Kind = p.tok.Text
		p.next()
		if p.tok.Kind == lexer.Name {
			op.Name = p.tok.Text
			p.next()
		}
	}
	op.Selection = p.selection()
	return op
}

func (p *parser) selection() []*ast.Field {
	var fields []*ast.Field
	p.expect("{")
	for p.err == nil && p.tok.Text != "}" {
		if p.tok.Kind != lexer.Name {
			p.fail("expected field, found %q", p.tok.Text)
			break
		}
		f := &ast.Field{Pos: ast.Pos(p.tok.Pos), Name: p.tok.Text}
		p.next()
		if p.tok.Text == ":" {
			p.next()
			f.Alias, f.Name = f.Name, p.tok.Text
			p.next()
		}
		if p.tok.Text == "(" {
			p.next()
			for p.err == nil && p.tok.Text != ")" {
				a := &ast.Argument{Name: p.tok.Text}
				p.next()
				p.expect(":")
				a.Value = strings.TrimSpace(p.tok.Text)
				p.next()
				f.Arguments = append(f.Arguments, a)
			}
			p.expect(")")
		}
		if p.tok.Text == "{" {
			f.Selection = p.selection()
		}
		fields = append(fields, f)
	}
	p.expect("}")
	return fields
}
