//! Older Go releases, which the go command runs when GOTOOLCHAIN names them
//! (fetched from the module proxy as `golang.org/toolchain` modules).

use std::sync::OnceLock;

use crate::go::{go, run};
use crate::scratch::target_tmpdir;

/// Every older release the tests use. The first test that needs one
/// fetches them all in one `go mod download`, which downloads in parallel.
pub const OLDER: &[&str] = &["1.18.10", "1.20.14", "1.22.12", "1.24.13", "1.25.0"];

/// The GOTOOLCHAIN value for `version` (one of [`OLDER`]), after making sure
/// the toolchain is in the module cache.
pub fn older(version: &str) -> String {
    assert!(OLDER.contains(&version), "go{version} is not in heft_testkit::toolchain::OLDER");
    static FETCHED: OnceLock<()> = OnceLock::new();
    FETCHED.get_or_init(|| {
        let host = run(go(["env", "GOHOSTOS", "GOHOSTARCH"]).env("GOTOOLCHAIN", "local"));
        let host = String::from_utf8_lossy(&host.stdout).split_whitespace().collect::<Vec<_>>().join("-");
        let modules = OLDER.iter().map(|v| format!("golang.org/toolchain@v0.0.1-go{v}.{host}"));
        run(go(["mod", "download"]).args(modules).current_dir(target_tmpdir()).env("GOFLAGS", "-mod=mod"));
    });
    format!("go{version}")
}
