package registry

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

type staticToken string

func (s staticToken) Token(context.Context) (string, error) { return string(s), nil }

func TestHead(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer t0k" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/v2/team/app/manifests/v1" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Docker-Content-Digest", "sha256:abc")
	}))
	defer srv.Close()

	ref, err := ParseReference(strings.TrimPrefix(srv.URL, "https://") + "/team/app:v1")
	if err != nil {
		t.Fatal(err)
	}
	c := &Client{HTTP: srv.Client(), Tokens: staticToken("t0k")}
	got, err := c.Head(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if got != "sha256:abc" {
		t.Errorf("digest = %q", got)
	}
}

func TestParseReference(t *testing.T) {
	for in, want := range map[string]string{
		"app":                          DefaultHost + "/app:latest",
		"team/app:v2":                  DefaultHost + "/team/app:v2",
		"r.example.org:5000/x/y@sha:1": "r.example.org:5000/x/y@sha:1",
	} {
		r, err := ParseReference(in)
		if err != nil {
			t.Fatal(err)
		}
		if r.String() != want {
			t.Errorf("%s: got %s, want %s", in, r, want)
		}
	}
}
