//go:build !go1.26

package jobs

import (
	"errors"

	"example.com/busybox/internal/store"
)

// conflicted reports whether err is a write conflict of the store.
func conflicted(err error) bool {
	var ce *store.ConflictError
	return errors.As(err, &ce)
}
