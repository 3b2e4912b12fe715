// Package testutil has helpers for tests. Some of them leaked into
// production code.
package testutil

import (
	"sync"

	// SHAPE production-testing-import: a non-test file of a helper package
	// imports "testing" for an unused *testing.T parameter; production code
	// (internal/server/metrics.go) calls NewRecorder, so the test framework
	// is linked into the server binary.
	// Cut: drop the parameter, or move the helper to a _test.go file.
	"testing"
)

// Recorder is an in-memory metrics sink.
type Recorder struct {
	mu     sync.Mutex
	counts map[string]int64
}

// NewRecorder returns an empty Recorder. The *testing.T is unused (it once
// registered a cleanup); production callers pass nil.
func NewRecorder(_ *testing.T) *Recorder {
	return &Recorder{counts: make(map[string]int64)}
}

// Add adds delta to the counter name.
func (r *Recorder) Add(name string, delta int64) {
	r.mu.Lock()
	r.counts[name] += delta
	r.mu.Unlock()
}

// Get returns the counter name.
func (r *Recorder) Get(name string) int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.counts[name]
}
