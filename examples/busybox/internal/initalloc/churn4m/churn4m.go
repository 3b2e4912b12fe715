// Package churn4m is a measurement fixture: its initialization allocates a
// 4 MiB scratch buffer (one large object), uses it, and drops it. Expected:
// inittrace reports about 4194304 bytes for this package, yet none of it is
// in use once init has finished (a GC at the end of init frees it).
package churn4m

// Size is the size of the scratch buffer.
const Size = 4 << 20

// SHAPE init-allocates-4MiB-transient: allocated during init, garbage after.
var Checksum = warmup()

func warmup() uint32 {
	buf := make([]byte, Size) // too large for the stack: a heap object
	for i := range buf {
		buf[i] = byte(i * 31 >> 8)
	}
	sum := uint32(2166136261) // FNV-1a over the whole buffer
	for _, b := range buf {
		sum = (sum ^ uint32(b)) * 16777619
	}
	return sum
}
