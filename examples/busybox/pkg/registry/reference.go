// Package registry talks to OCI container registries.
package registry

import (
	"fmt"
	"strings"
)

// Reference is a parsed image reference: host/repository:tag or @digest.
type Reference struct {
	Host       string
	Repository string
	Tag        string
	Digest     string
}

// DefaultHost is used for references without a registry host.
const DefaultHost = "registry.example.com"

// ParseReference parses s, filling in the default host and the tag "latest".
func ParseReference(s string) (Reference, error) {
	var r Reference
	if s == "" {
		return r, fmt.Errorf("registry: empty reference")
	}
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s, r.Digest = s[:i], s[i+1:]
	}
	if i := strings.LastIndexByte(s, ':'); i > strings.LastIndexByte(s, '/') {
		s, r.Tag = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, '/'); i > 0 && strings.ContainsAny(s[:i], ".:") {
		r.Host, s = s[:i], s[i+1:]
	} else {
		r.Host = DefaultHost
	}
	r.Repository = s
	if r.Tag == "" && r.Digest == "" {
		r.Tag = "latest"
	}
	if r.Repository == "" {
		return r, fmt.Errorf("registry: no repository in %q", s)
	}
	return r, nil
}

// String formats r in canonical form.
func (r Reference) String() string {
	s := r.Host + "/" + r.Repository
	if r.Tag != "" {
		s += ":" + r.Tag
	}
	if r.Digest != "" {
		s += "@" + r.Digest
	}
	return s
}
