//! The go command, the oracle of most tests. A test that needs it fails
//! loudly where it is missing: a silent pass would check nothing.

use std::process::{Command, Output};
use std::sync::OnceLock;

/// Panics, saying so, when the go command cannot be run.
pub fn require_go() {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    let version = VERSION.get_or_init(|| match Command::new("go").arg("version").output() {
        Ok(o) if o.status.success() => Ok(String::from_utf8_lossy(&o.stdout).trim().to_string()),
        Ok(o) => Err(format!("`go version` failed: {}", String::from_utf8_lossy(&o.stderr).trim())),
        Err(e) => Err(format!("cannot run `go`: {e}")),
    });
    if let Err(e) = version {
        panic!("this test needs the go command on PATH (Go 1.26 or newer): {e}");
    }
}

/// A go command with `args`, after [`require_go`].
pub fn go<I, S>(args: I) -> Command
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    require_go();
    let mut cmd = Command::new("go");
    cmd.args(args);
    cmd
}

/// Runs `cmd` and returns its output, panicking with the command and its
/// stderr when it fails.
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("running {cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    out
}
