// Package webui serves the server's HTML pages.
package webui

import (
	"net/http"
	"time"
)

// Status is what the index page shows.
type Status struct {
	Name    string
	Started time.Time
	Routes  []string
}

// Handler serves the index page for st.
func Handler(st Status) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := pages.ExecuteTemplate(w, "index", st); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	})
}
