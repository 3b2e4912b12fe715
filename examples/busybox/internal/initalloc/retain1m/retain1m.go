// Package retain1m is a measurement fixture: its initialization allocates
// exactly 1 MiB (one large object) and keeps it reachable from a package
// variable for the life of the process. Expected: inittrace reports about
// 1048576 bytes for this package, and the heap profile at the end of init
// shows 1 MiB in use allocated here.
package retain1m

// Size is the number of bytes kept alive.
const Size = 1 << 20

// SHAPE init-retains-1MiB: allocated during init, reachable forever.
var ballast = fill(make([]byte, Size))

func fill(b []byte) []byte {
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// Len returns the size of the retained buffer.
func Len() int { return len(ballast) }
