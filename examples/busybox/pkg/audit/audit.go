// Package audit formats the records of who changed what.
package audit

import (
	"fmt"
	"time"

	// SHAPE constants-with-their-type-import: audit uses the database
	// layer for one constant and its own named type (store.Integer, of
	// type store.DataType) and links the wrapper and the sqlite driver for
	// them. Cut: move DataType and its constants to a leaf package both
	// can import.
	"example.com/busybox/internal/store"
)

// Record is one audit entry.
type Record struct {
	At        time.Time
	Who, What string
}

// Columns gives the type of each column of a stored record.
func Columns() map[string]store.DataType {
	return map[string]store.DataType{"at": store.Integer, "who": "text", "what": "text"}
}

// Format renders r as one line.
func Format(r Record) string {
	return fmt.Sprintf("%s %s %s", r.At.UTC().Format(time.RFC3339), r.Who, r.What)
}
