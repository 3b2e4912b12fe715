//! Where tests write: cargo's `CARGO_TARGET_TMPDIR` (`<target>/tmp`), which
//! honors `CARGO_TARGET_DIR` and is shared by every test binary of the
//! workspace.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tempfile::TempDir;

/// The workspace root (where `examples/` and `tests/fixtures/` live).
pub fn workspace_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root exists")
    })
}

/// Cargo's temporary directory for tests, `<target>/tmp`.
///
/// Cargo tells an integration test this path at compile time only
/// (`env!("CARGO_TARGET_TMPDIR")`), not a library it links, so it is found
/// from the running test binary: `<target>[/<triple>]/<profile>/deps/<test>`,
/// where `<target>` is the directory holding cargo's `CACHEDIR.TAG`.
pub fn target_tmpdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test binary's path");
        let target = exe
            .ancestors()
            .skip(1)
            .find(|dir| dir.join("CACHEDIR.TAG").is_file())
            .unwrap_or_else(|| panic!("{} is not inside a cargo target directory", exe.display()));
        let tmp = target.join("tmp");
        std::fs::create_dir_all(&tmp).unwrap_or_else(|e| panic!("creating {}: {e}", tmp.display()));
        tmp
    })
}

/// A fresh directory of its own for one test, removed when dropped.
pub fn scratch(label: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("{label}-"))
        .tempdir_in(target_tmpdir())
        .unwrap_or_else(|e| panic!("creating a scratch directory in {}: {e}", target_tmpdir().display()))
}

/// A scratch directory holding `files` (path relative to it, contents),
/// for a small Go module written by a test.
pub fn scratch_with(label: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = scratch(label);
    for (name, text) in files {
        let path = dir.path().join(name);
        let parent = path.parent().expect("a file path has a parent");
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("creating {}: {e}", parent.display()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
    dir
}
