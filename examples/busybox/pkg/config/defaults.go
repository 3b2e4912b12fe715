package config

import (
	"time"

	// SHAPE constant-only-import: config uses nothing from timeutil but the
	// two integer constants DefaultTickSeconds and MaxClockSkewSeconds, yet
	// this edge links timeutil, calendar and tzdb (whose init builds a
	// ~0.5 MB zone table) into every binary that loads config.
	// Cut: copy the two constants here.
	"example.com/busybox/pkg/timeutil"
)

// Defaults returns the built-in configuration.
func Defaults() Config {
	return Config{
		Interval: Duration(timeutil.DefaultTickSeconds * time.Second),
		MaxSkew:  Duration(timeutil.MaxClockSkewSeconds * time.Second),
		Zone:     "UTC",
	}
}
