// Package tzdb is a bundled time zone table, so that reports do not depend on
// the zoneinfo files of the host.
package tzdb

import "sort"

// Zone is one zone of the table.
type Zone struct {
	Name   string
	Abbrev string
	// Transitions are Unix times at which Offsets[i+1] replaces Offsets[i].
	Transitions []int64
	Offsets     []int32
}

// OffsetAt returns the UTC offset in seconds in effect at Unix time t.
func (z *Zone) OffsetAt(t int64) int32 {
	i := sort.Search(len(z.Transitions), func(i int) bool { return z.Transitions[i] > t })
	return z.Offsets[i]
}

// Lookup returns the zone called name.
func Lookup(name string) (*Zone, bool) {
	if name == "UTC" {
		return &utc, true
	}
	z, ok := zones[name]
	return z, ok
}

// Len returns the number of zones in the table.
func Len() int { return len(zones) }

var utc = Zone{Name: "UTC", Abbrev: "UTC", Offsets: []int32{0}}
