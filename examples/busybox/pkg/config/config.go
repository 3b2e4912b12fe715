// Package config loads the settings shared by the agent and the server.
package config

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Config is the on-disk configuration (JSON).
type Config struct {
	// Interval between two status reports.
	Interval Duration `json:"interval"`
	// MaxSkew is the clock skew tolerated when validating timestamps.
	MaxSkew Duration `json:"maxSkew"`
	// Zone is the IANA zone used in human-readable reports.
	Zone string `json:"zone"`
	// Listen is the server's listen address; empty means "do not serve".
	Listen string `json:"listen"`
}

// Duration is a time.Duration that reads "30s" style strings from JSON.
type Duration time.Duration

// UnmarshalJSON implements json.Unmarshaler.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// String formats d like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// Load reads path over the defaults. An empty path yields the defaults.
func Load(path string) (Config, error) {
	cfg := Defaults()
	if path == "" {
		return cfg, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		return cfg, fmt.Errorf("config %s: %w", path, err)
	}
	if cfg.Interval <= 0 {
		return cfg, fmt.Errorf("config %s: interval must be positive", path)
	}
	return cfg, nil
}
