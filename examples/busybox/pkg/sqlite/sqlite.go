// Package sqlite is an embedded database engine: a stand-in for a heavy
// database driver, whose B-tree and virtual file system come with it.
package sqlite

import (
	"errors"
	"fmt"

	"example.com/busybox/pkg/sqlite/btree"
	"example.com/busybox/pkg/sqlite/vfs"
)

// Version is the version of the engine.
const Version = "3.51.0"

// PageSize is the size of a database page.
const PageSize = 4096

// ErrBusy is returned when another connection holds the database's lock.
var ErrBusy = errors.New("sqlite: database is locked")

// Conn is a connection to a database file.
type Conn struct {
	file *vfs.File
	tree *btree.Tree
}

// Open opens the database file at path (":memory:" for one in memory).
func Open(path string, pageSize int) (*Conn, error) {
	f, err := vfs.Open(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return &Conn{file: f, tree: btree.New(pageSize)}, nil
}

// Exec stores value under key.
func (c *Conn) Exec(key string, value []byte) error {
	if c.file.Locked() {
		return ErrBusy
	}
	c.tree.Put(key, value)
	return nil
}

// Query returns the value stored under key.
func (c *Conn) Query(key string) ([]byte, bool) {
	return c.tree.Get(key)
}

// Close closes the connection.
func (c *Conn) Close() error {
	return c.file.Close()
}
