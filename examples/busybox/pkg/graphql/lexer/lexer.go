// Package lexer splits GraphQL source into tokens.
package lexer

import (
	"fmt"
	"unicode/utf8"
)

// Kind is a token kind.
type Kind int

// Token kinds.
const (
	EOF Kind = iota
	Name
	Punct
	String
	Number
)

// Token is one token.
type Token struct {
	Kind Kind
	Text string
	Pos  int
}

// Lexer tokenizes one source.
type Lexer struct {
	src string
	pos int
}

// New returns a lexer on src.
func New(src string) *Lexer { return &Lexer{src: src} }

// Next returns the next token.
func (l *Lexer) Next() (Token, error) {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '#' {
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
			continue
		}
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ',' {
			break
		}
		l.pos++
	}
	start := l.pos
	if start >= len(l.src) {
		return Token{Kind: EOF, Pos: start}, nil
	}
	c := l.src[start]
	switch {
	case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		for l.pos < len(l.src) && isNameByte(l.src[l.pos]) {
			l.pos++
		}
		return Token{Name, l.src[start:l.pos], start}, nil
	case c == '-' || c >= '0' && c <= '9':
		l.pos++
		for l.pos < len(l.src) && (l.src[l.pos] >= '0' && l.src[l.pos] <= '9' || l.src[l.pos] == '.') {
			l.pos++
		}
		return Token{Number, l.src[start:l.pos], start}, nil
	case c == '"':
		l.pos++
		for l.pos < len(l.src) && l.src[l.pos] != '"' {
			if l.src[l.pos] == '\\' {
				l.pos++
			}
			l.pos++
		}
		if l.pos >= len(l.src) {
			return Token{}, fmt.Errorf("graphql: unterminated string at %d", start)
		}
		l.pos++
		return Token{String, l.src[start:l.pos], start}, nil
	case c == '.' && len(l.src) >= start+3 && l.src[start:start+3] == "...":
		l.pos += 3
		return Token{Punct, "...", start}, nil
	}
	r, size := utf8.DecodeRuneInString(l.src[start:])
	switch r {
	case '{', '}', '(', ')', '[', ']', ':', '!', '$', '=', '@', '|':
		l.pos += size
		return Token{Punct, string(r), start}, nil
	}
	return Token{}, fmt.Errorf("graphql: unexpected %q at %d", r, start)
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}
