package config

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(cfg.Interval) != 30*time.Second {
		t.Errorf("interval = %v, want 30s", cfg.Interval)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	if err := os.WriteFile(path, []byte(`{"interval":"1m","zone":"Europe/Paris"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if time.Duration(cfg.Interval) != time.Minute || cfg.Zone != "Europe/Paris" {
		t.Errorf("got %+v", cfg)
	}
	if time.Duration(cfg.MaxSkew) != 5*time.Second {
		t.Errorf("maxSkew = %v, want the default 5s", cfg.MaxSkew)
	}
}
