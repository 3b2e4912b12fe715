// Added to package runtime by heft measure through go build -overlay; never
// written to the user's tree.

package runtime

// Record every allocation from here on. GODEBUG=memprofilerate=1 is also set,
// but on some Go versions the runtime's own variable initialization resets
// the rate before package inits run.
func init() {
	MemProfileRate = 1
}

// HeftProbeExit ends the process at once. The probe in package main calls it
// so that it needs no import besides runtime (os would perturb programs that
// do not link it).
func HeftProbeExit(code int32) {
	exit(code)
}
