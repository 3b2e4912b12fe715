// Package btree keeps the keys of a database in order.
package btree

import "sort"

// Tree is an ordered map from keys to values.
type Tree struct {
	pageSize int
	keys     []string
	values   [][]byte
}

// New returns an empty tree whose pages hold pageSize bytes.
func New(pageSize int) *Tree {
	return &Tree{pageSize: pageSize}
}

// Put stores v under key.
func (t *Tree) Put(key string, v []byte) {
	i := sort.SearchStrings(t.keys, key)
	if i < len(t.keys) && t.keys[i] == key {
		t.values[i] = v
		return
	}
	t.keys = append(t.keys, "")
	t.values = append(t.values, nil)
	copy(t.keys[i+1:], t.keys[i:])
	copy(t.values[i+1:], t.values[i:])
	t.keys[i], t.values[i] = key, v
}

// Get returns the value stored under key.
func (t *Tree) Get(key string) ([]byte, bool) {
	i := sort.SearchStrings(t.keys, key)
	if i < len(t.keys) && t.keys[i] == key {
		return t.values[i], true
	}
	return nil, false
}
