//! heft's package graph equals `go list -deps -json` on real programs from
//! the Go module proxy, at pinned versions, on three platforms with cgo on
//! and off. Each program's whole build list is downloaded into the module
//! cache first, and neither side may report a package error.

use heft_testkit::RealProgram;
use heft_testkit::oracle::assert_real_program_matches;

/// 1,518 packages on linux/amd64.
#[test]
fn prometheus() {
    assert_real_program_matches(RealProgram::PROMETHEUS, "./cmd/prometheus");
}

#[test]
fn caddy() {
    assert_real_program_matches(RealProgram::CADDY, "./cmd/caddy");
}
