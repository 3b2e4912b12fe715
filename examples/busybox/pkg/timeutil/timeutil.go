// Package timeutil has time helpers: zone conversion from the bundled zone
// table, ISO weeks, and the project's timing constants.
package timeutil

import (
	"fmt"
	"time"

	"example.com/busybox/pkg/calendar"
	"example.com/busybox/pkg/tzdb"
)

// Timing constants shared by the components.
const (
	DefaultTickSeconds  = 30
	MaxClockSkewSeconds = 5
)

// InZone converts t to the named zone of the bundled table, which does not
// depend on the host's zoneinfo files.
func InZone(t time.Time, zone string) (time.Time, error) {
	z, ok := tzdb.Lookup(zone)
	if !ok {
		return t, fmt.Errorf("timeutil: unknown zone %q", zone)
	}
	return t.In(time.FixedZone(z.Abbrev, int(z.OffsetAt(t.Unix())))), nil
}

// Stamp formats t for reports: date, ISO week and time in the named zone.
func Stamp(t time.Time, zone string) string {
	lt, err := InZone(t, zone)
	if err != nil {
		lt = t.UTC()
	}
	y, w := calendar.ISOWeek(lt.Year(), int(lt.Month()), lt.Day())
	return fmt.Sprintf("%s (%d-W%02d)", lt.Format("2006-01-02 15:04:05 MST"), y, w)
}
