// Package store is the project's own database layer, a wrapper of the
// sqlite driver.
package store

import (
	"errors"
	"fmt"

	// SHAPE wrapper-of-the-driver: the database layer uses the driver for
	// everything (Open, Conn, PageSize, ErrBusy, Version): this import is
	// what the wrapper is for, and it stays. What brings the driver into
	// the server are the two packages that import the wrapper for one
	// constant or type each (pkg/audit, pkg/jobs): `heft evict` cuts those.
	"example.com/busybox/pkg/sqlite"
)

// DataType is the type of a column.
type DataType string

// The column types.
const (
	Integer DataType = "integer"
	Text    DataType = "text"
)

// ConflictError reports a write that lost to a concurrent one.
type ConflictError struct {
	Key string
}

func (e *ConflictError) Error() string {
	return "store: conflicting write to " + e.Key
}

// DB is a handle to the project's database.
type DB struct {
	conn *sqlite.Conn
}

// Open opens the database at path.
func Open(path string) (*DB, error) {
	c, err := sqlite.Open(path, sqlite.PageSize)
	if err != nil {
		return nil, err
	}
	return &DB{conn: c}, nil
}

// Put stores value under key; a locked database is a conflict.
func (db *DB) Put(key string, value []byte) error {
	err := db.conn.Exec(key, value)
	if errors.Is(err, sqlite.ErrBusy) {
		return &ConflictError{Key: key}
	}
	return err
}

// Get returns the value stored under key.
func (db *DB) Get(key string) ([]byte, error) {
	v, ok := db.conn.Query(key)
	if !ok {
		return nil, fmt.Errorf("store: %s not found", key)
	}
	return v, nil
}

// Close closes the database.
func (db *DB) Close() error {
	return db.conn.Close()
}

// EngineVersion is the version of the database engine.
func EngineVersion() string {
	return "sqlite " + sqlite.Version
}
