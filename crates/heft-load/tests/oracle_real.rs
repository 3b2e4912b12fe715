//! heft's package graph equals `go list -deps -json` on real programs from
//! the Go module proxy, at pinned versions, on three platforms with cgo on
//! and off. The programs and their dependencies are downloaded into the
//! module cache on first use.

mod common;

use common::{assert_matches_on_all_platforms, go_available, real_module};

fn check(module: &str, version: &str, pattern: &str) {
    if !go_available() {
        panic!("the oracle tests need the go command on PATH");
    }
    let dir = real_module(module, version);
    // A release archive carries go.work naming modules it does not ship.
    let vars = vec![("GOWORK".to_string(), "off".to_string())];
    assert_matches_on_all_platforms(&dir, &[pattern.to_string()], &vars);
}

/// 1,518 packages on linux/amd64.
#[test]
fn prometheus() {
    check("github.com/prometheus/prometheus", "v0.316.0", "./cmd/prometheus");
}

#[test]
fn caddy() {
    check("github.com/caddyserver/caddy/v2", "v2.11.9", "./cmd/caddy");
}
