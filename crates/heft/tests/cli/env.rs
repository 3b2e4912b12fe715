//! The environment every test runs heft in: the user's Go settings that
//! would change the answer are pinned, and heft's own cache is off unless
//! a test asks for one.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The bundled example module.
pub fn example() -> PathBuf {
    heft_testkit::workspace_root().join("examples/busybox")
}

/// heft with the pinned environment (run in the example unless the test
/// sets another directory).
pub fn heft_command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_heft"));
    cmd.current_dir(example())
        .env("HEFT_CACHE_DIR", "off")
        .env("GOFLAGS", "")
        .env("GOWORK", "off")
        .env("GOTOOLCHAIN", "local")
        .env("NO_COLOR", "1")
        .env_remove("GO111MODULE")
        .env_remove("GOOS")
        .env_remove("GOARCH")
        .env_remove("CGO_ENABLED")
        .env_remove("GOEXPERIMENT");
    cmd
}

/// Runs heft with `args` in `dir` and returns what it printed.
pub fn heft_output(dir: &Path, args: &[&str]) -> Output {
    heft_command().current_dir(dir).args(args).output().expect("run heft")
}

/// Runs git in `dir` as a throwaway identity; its stdout, trimmed.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=heft", "-c", "user.email=heft@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run git");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}
