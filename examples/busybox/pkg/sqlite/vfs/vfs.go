// Package vfs is the database engine's access to files.
package vfs

import (
	"os"
	"sync"
)

// File is an open database file.
type File struct {
	mu     sync.Mutex
	locked bool
	f      *os.File
}

// Open opens (or creates) the file at path; ":memory:" opens none.
func Open(path string) (*File, error) {
	if path == ":memory:" {
		return &File{}, nil
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	return &File{f: f}, nil
}

// Locked reports whether another connection holds the file's lock.
func (f *File) Locked() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.locked
}

// Close closes the file.
func (f *File) Close() error {
	if f.f == nil {
		return nil
	}
	return f.f.Close()
}
