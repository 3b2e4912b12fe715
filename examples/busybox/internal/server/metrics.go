package server

import (
	// SHAPE production-testing-import (importer side): production code uses
	// a helper from testutil, whose non-test file imports "testing", so the
	// server binary links the test framework.
	"example.com/busybox/pkg/testutil"
)

// newMetrics returns the server's request counters.
func newMetrics() *testutil.Recorder {
	return testutil.NewRecorder(nil)
}
