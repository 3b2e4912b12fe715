//! Real programs from the Go module proxy at pinned versions, laid out as
//! their own main modules (a copy of the module's source, writable, as in
//! its repository) under `HEFT_CORPUS_DIR` or `<target>/tmp/heft-corpus`.
//!
//! A test compares heft with an oracle only on a whole program: before it
//! looks, every module the package needs on each platform it checks is
//! downloaded (`go list -deps`, which fails naming what it cannot fetch),
//! and after loading, [`assert_complete`] refuses a graph with package
//! errors (a module missing from the cache shows up there, named).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;

use crate::go::{go, run};
use crate::scratch::target_tmpdir;

/// A target the go command builds for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Platform {
    pub goos: &'static str,
    pub goarch: &'static str,
    pub cgo: bool,
}

impl Platform {
    pub const LINUX_AMD64: Platform = Platform { goos: "linux", goarch: "amd64", cgo: true };
    pub const LINUX_AMD64_NOCGO: Platform = Platform { goos: "linux", goarch: "amd64", cgo: false };

    /// The six targets every oracle case runs on.
    pub const ORACLE: &[Platform] = &[
        Platform::LINUX_AMD64,
        Platform::LINUX_AMD64_NOCGO,
        Platform { goos: "darwin", goarch: "arm64", cgo: true },
        Platform { goos: "darwin", goarch: "arm64", cgo: false },
        Platform { goos: "windows", goarch: "amd64", cgo: true },
        Platform { goos: "windows", goarch: "amd64", cgo: false },
    ];

    /// GOOS, GOARCH and CGO_ENABLED for the go command.
    pub fn env(&self) -> [(&'static str, &'static str); 3] {
        [("GOOS", self.goos), ("GOARCH", self.goarch), ("CGO_ENABLED", if self.cgo { "1" } else { "0" })]
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} cgo={}", self.goos, self.goarch, u8::from(self.cgo))
    }
}

/// A module at a pinned version whose source is a program to test on.
#[derive(Clone, Copy, Debug)]
pub struct RealProgram {
    pub module: &'static str,
    pub version: &'static str,
}

impl RealProgram {
    /// 1,518 packages in `./cmd/prometheus` on linux/amd64.
    pub const PROMETHEUS: RealProgram = RealProgram { module: "github.com/prometheus/prometheus", version: "v0.316.0" };
    /// `.`: one binary of 2,464 packages (Kubernetes' client libraries).
    pub const K9S: RealProgram = RealProgram { module: "github.com/derailed/k9s", version: "v0.50.16" };
    /// `./cmd/gh`: 1,481 packages, 264 of them its own (a command tree).
    pub const GH: RealProgram = RealProgram { module: "github.com/cli/cli/v2", version: "v2.83.0" };
    pub const CADDY: RealProgram = RealProgram { module: "github.com/caddyserver/caddy/v2", version: "v2.11.9" };
    /// `./cmd/tomlv`: a small program with std-only dependencies.
    pub const TOML: RealProgram = RealProgram { module: "github.com/BurntSushi/toml", version: "v1.6.0" };

    /// The program's source as its own main module, with everything
    /// `pattern` needs on each of `platforms` in the module cache. Panics,
    /// with go's message naming the module, when something cannot be had.
    pub fn prepare(&self, pattern: &str, platforms: &[Platform]) -> PathBuf {
        let dir = self.source();
        for &platform in platforms {
            fetch_build_list(&dir, pattern, platform);
        }
        dir
    }

    /// The program's source (its own module only; see [`Self::prepare`]).
    pub fn source(&self) -> PathBuf {
        let corpus = corpus_dir();
        let dest = corpus.join(format!("{}@{}", self.module.replace('/', "_"), self.version));
        if dest.join("go.mod").is_file() {
            return dest;
        }
        let module_dir = self.module_cache_dir();
        // Copied aside and renamed into place, so that another test (or test
        // binary) preparing the same program never sees half a copy; the
        // loser of a race drops its copy.
        let staging = tempfile::Builder::new()
            .prefix(".staging-")
            .tempdir_in(&corpus)
            .unwrap_or_else(|e| panic!("creating a staging directory in {}: {e}", corpus.display()));
        let copy = staging.path().join("module");
        copy_tree(&module_dir, &copy).unwrap_or_else(|e| panic!("copying {}: {e}", module_dir.display()));
        if let Err(e) = std::fs::rename(&copy, &dest)
            && !dest.join("go.mod").is_file()
        {
            panic!("moving {} to {}: {e}", copy.display(), dest.display());
        }
        dest
    }

    /// The module's directory in the module cache, downloaded if needed.
    pub fn module_cache_dir(&self) -> PathBuf {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Download {
            dir: Option<String>,
            error: Option<String>,
        }
        let at = format!("{}@{}", self.module, self.version);
        // Outside any module, so that no go.mod around the corpus matters.
        let out =
            go(["mod", "download", "-json", &at]).current_dir(target_tmpdir()).env("GOFLAGS", "-mod=mod").output();
        let out = out.unwrap_or_else(|e| panic!("go mod download {at}: {e}"));
        let dl: Download = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("go mod download {at}: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
        match (dl.dir, dl.error) {
            (Some(dir), None) => PathBuf::from(dir),
            (_, error) => panic!("go mod download {at}: {}", error.unwrap_or_default()),
        }
    }
}

/// GOWORK for a real program: its release archive may carry a go.work
/// naming modules it does not ship.
pub const WORKSPACE: &str = "off";

/// `HEFT_CORPUS_DIR`, or `<target>/tmp/heft-corpus`.
pub fn corpus_dir() -> PathBuf {
    let dir =
        std::env::var_os("HEFT_CORPUS_DIR").map(PathBuf::from).unwrap_or_else(|| target_tmpdir().join("heft-corpus"));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

/// Downloads every module `pattern` needs in `dir` on `platform`, once per
/// test binary. `go list -deps` without `-e` fails on anything it cannot
/// load, naming the module it could not fetch.
pub fn fetch_build_list(dir: &Path, pattern: &str, platform: Platform) {
    static DONE: Mutex<Option<HashSet<(PathBuf, String, Platform)>>> = Mutex::new(None);
    // Held while go runs: tests preparing the same program wait rather
    // than download it twice.
    let mut done = DONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let key = (dir.to_path_buf(), pattern.to_string(), platform);
    if done.get_or_insert_default().contains(&key) {
        return;
    }
    run(go(["list", "-deps", "-f", "{{.ImportPath}}", pattern])
        .current_dir(dir)
        .env("GOWORK", WORKSPACE)
        .envs(platform.env()));
    done.get_or_insert_default().insert(key);
}

/// Panics when the loaded program has package errors: a comparison with an
/// oracle on a partial graph proves nothing.
pub fn assert_complete(prog: &heft_load::Program, what: &str) {
    let errors: Vec<String> =
        prog.packages.iter().flat_map(|p| p.errors.iter().map(move |e| format!("{}: {e}", p.path))).collect();
    assert!(
        errors.is_empty(),
        "{what}: heft loaded {} packages with {} package error(s); the test needs the whole program:\n  {}",
        prog.packages.len(),
        errors.len(),
        errors.iter().take(20).cloned().collect::<Vec<_>>().join("\n  ")
    );
}

/// Copies a directory tree of regular files and directories, writable
/// (the module cache's files are read-only).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type()?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst)?;
            let mut perms = std::fs::metadata(&dst)?.permissions();
            #[allow(clippy::permissions_set_readonly_false)] // a private copy, made writable on purpose
            perms.set_readonly(false);
            std::fs::set_permissions(&dst, perms)?;
        }
    }
    Ok(())
}
