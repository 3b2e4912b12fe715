//go:build go1.26

package jobs

import (
	"errors"

	// SHAPE errors-astype-target-import: the only use of the database
	// layer is its *store.ConflictError type, as the type argument of
	// errors.AsType (Go 1.26) below, and for it jobs links the wrapper and
	// the sqlite driver. Cut: match on a local method-set interface (or
	// move the error type to a leaf package). Before Go 1.26,
	// conflict_errorsas.go does the same with errors.As.
	"example.com/busybox/internal/store"
)

// conflicted reports whether err is a write conflict of the store.
func conflicted(err error) bool {
	_, ok := errors.AsType[*store.ConflictError](err)
	return ok
}
