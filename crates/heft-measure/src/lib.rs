//! heft measure: heap, allocations and time spent in package initialization,
//! per binary and per package, with no change to the user's program.
//!
//! A main package is built with `go build -overlay` into a temporary
//! directory; the overlay adds two files that exist only for the build: one
//! in package `runtime` (sets `MemProfileRate = 1` before any package init and
//! exports an exit hook) and one in package `main` whose `init` runs last,
//! forces two GCs, prints `runtime.MemStats` and the in-use heap profile
//! (format in [`parse::parse_probe`]) and exits before `main.main`. The binary
//! runs with `GODEBUG=inittrace=1` under a timeout.

#![warn(missing_docs)]

pub mod attrib;
pub mod gc;
pub mod parse;
mod run;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub use run::{CachedModule, MainPackage, main_packages, measure_binary, measure_main, stop_everything};

/// The version of the `--json` document.
pub const JSON_VERSION: u32 = 1;

/// How to run the go command and the measured programs.
#[derive(Debug, Clone)]
pub struct Options {
    /// The go command.
    pub go: PathBuf,
    /// Where to run `go list` / `go build` and the measured programs.
    pub dir: PathBuf,
    /// Kill a program still initializing (or, with `--binary`, still running) after this long.
    pub timeout: Duration,
    /// Runs per binary; numbers are medians.
    pub runs: usize,
    /// Build tags for `go list` and `go build` (`-tags`).
    pub tags: Option<String>,
    /// CGO_ENABLED for the go command, when set.
    pub cgo: Option<bool>,
}

impl Default for Options {
    fn default() -> Self {
        Options { go: "go".into(), dir: ".".into(), timeout: Duration::from_secs(60), runs: 1, tags: None, cgo: None }
    }
}

/// Why a measurement failed.
#[derive(Debug, thiserror::Error)]
pub enum MeasureError {
    /// The go command could not be started.
    #[error("cannot run the go command ({go}): {source}")]
    NoGo {
        /// The go command, as in [`Options::go`].
        go: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// A `go list` or `go env` exited with an error.
    #[error("`{command}` failed:\n{stderr}")]
    GoCommand {
        /// The command line, `go list -deps ...`.
        command: String,
        /// What the go command printed on stderr.
        stderr: String,
    },
    /// A pattern matched packages, but no main package.
    #[error("{pattern}: no main package matched")]
    NoMain {
        /// The pattern, as given.
        pattern: String,
    },
    /// `go build` with the probe overlay failed.
    #[error("building {package} failed:\n{stderr}")]
    Build {
        /// The main package's import path.
        package: String,
        /// What `go build` printed on stderr.
        stderr: String,
    },
    /// A main package from the module cache is measured through an
    /// alternate go.mod (`-modfile`), which the go command refuses in
    /// workspace mode.
    #[error(
        "{package} is in a dependency in the module cache, which heft measures through an alternate go.mod; \
         the go command allows none in workspace mode (try GOWORK=off)"
    )]
    DependencyInWorkspace {
        /// The main package's import path.
        package: String,
    },
    /// The measured program could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The main package's import path, or the binary's path.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// The program ended before the probe reported: a panic, a fatal error,
    /// an exit or a signal during package initialization.
    #[error("{program}: {what} during the init of {initializing}\n{output}")]
    InitFailed {
        /// The main package's import path.
        program: String,
        /// How it ended: `panicked`, `exited with status 1`, `stopped with a
        /// fatal error (...)`, `was killed by a signal`.
        what: String,
        /// The package whose init was running, from the traceback or the
        /// last inittrace line, or a sentence saying it is unknown.
        initializing: String,
        /// The tails of its stdout and stderr, probe lines removed.
        output: String,
    },
    /// Still running at the timeout: sent SIGQUIT (for the goroutine dump
    /// that names the initializer), then killed. With `--binary`, only when
    /// it had not reached `main.main`.
    #[error("{program}: still running after {seconds} s, killed; initializing: {initializing}\n{output}")]
    Timeout {
        /// The main package's import path, or the binary's path.
        program: String,
        /// The timeout, in whole seconds.
        seconds: u64,
        /// The package whose init was running, as for [`MeasureError::InitFailed`].
        initializing: String,
        /// The tails of its stdout and stderr, probe lines removed.
        output: String,
    },
    /// A prebuilt binary printed no inittrace line under
    /// `GODEBUG=inittrace=1`.
    #[error("{program}: does not look like a Go program (no inittrace output)\n{output}")]
    NotGo {
        /// The binary's path.
        program: String,
        /// The tails of its stdout and stderr.
        output: String,
    },
    /// The program's stderr has a malformed probe report.
    #[error("{program}: {source}")]
    Parse {
        /// The main package's import path, or the binary's path.
        program: String,
        /// The line and what is wrong with it.
        source: parse::ParseError,
    },
    /// Writing the temporary build files, reading the binary's size, or
    /// waiting for the program failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// The whole `heft measure --json` document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Measurement {
    /// The document's version, [`JSON_VERSION`] (`heftMeasure` in JSON).
    pub heft_measure: u32,
    /// `go env GOVERSION` of the go command used (`go1.26.8`); with
    /// `--binary`, the Go version in the binary's build information; empty
    /// when neither could be read.
    pub go_version: String,
    /// One entry per binary, its runs combined by [`median`].
    pub binaries: Vec<BinaryMeasure>,
}

/// One binary: the columns maintainers publish, and per package.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct BinaryMeasure {
    /// The main package's import path, or the binary's path with `--binary`.
    pub package: String,
    /// `probe` (built with the overlay probe) or `binary` (prebuilt, inittrace and gctrace only).
    pub mode: String,
    /// How many runs the numbers are the median of.
    pub runs: usize,
    /// Size of the built binary in bytes (with the probe: a few KB over a plain build).
    pub binary_size: u64,
    /// Packages linked (`go list -deps`, without the probe); absent with `--binary`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub package_count: Option<u64>,
    /// Packages that only the probe brought in (should be empty: it imports only runtime).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub probe_only_packages: Vec<String>,
    /// Live heap at the end of init, after two GCs (MemStats.HeapAlloc).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heap_live: Option<u64>,
    /// Live heap objects at the same point (MemStats.HeapObjects).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub heap_objects: Option<u64>,
    /// Heap objects allocated since the process started, runtime start-up
    /// included (MemStats.Mallocs).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub mallocs: Option<u64>,
    /// Heap bytes allocated since the process started, freed or not
    /// (MemStats.TotalAlloc).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub total_alloc: Option<u64>,
    /// Bytes of memory obtained from the OS by the end of init
    /// (MemStats.Sys).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sys: Option<u64>,
    /// Sums of the inittrace lines (init goroutine only; package main has none).
    pub init_bytes: u64,
    /// Sum of the inittrace allocation counts.
    pub init_allocs: u64,
    /// Sum of the inittrace clock times, in milliseconds (with the probe,
    /// slower than a plain build: every allocation is profiled).
    pub init_clock_ms: f64,
    /// gctrace with `--binary`: collections seen and the last live heap (MB).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gc_count: Option<u64>,
    /// The live heap after the last collection gctrace reported, in MB.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub gc_last_live_mb: Option<u64>,
    /// With `--binary`: how the program ended when it did not exit with
    /// status 0 ("exited with status 2", "panicked: …", killed at the
    /// timeout). Its init numbers are complete all the same.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ended: Option<String>,
    /// What could not be attributed with certainty.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub warnings: Vec<String>,
    /// In init order, then the packages known only from the heap profile.
    pub packages: Vec<PackageMeasure>,
}

/// One package of one binary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PackageMeasure {
    /// Import path, or [`attrib::NO_INIT`] / [`attrib::TRUNCATED`] for
    /// retained heap no package initializer is charged with.
    pub path: String,
    /// inittrace: bytes and allocations by the init goroutine during this package's init (total, not retained).
    pub init_bytes: u64,
    /// inittrace: heap allocations by the init goroutine during this
    /// package's init.
    pub init_allocs: u64,
    /// inittrace: wall-clock time of this package's init, in milliseconds.
    pub init_clock_ms: f64,
    /// Whether inittrace had a line for the package (packages without init work have none).
    pub init_traced: bool,
    /// Heap still live at the end of init whose allocating frame (first outside the runtime) is in this package.
    pub retained_bytes: u64,
    /// Live objects counted as for `retained_bytes`.
    pub retained_objects: u64,
    /// Heap still live at the end of init allocated while this package's initializer was on the stack.
    pub retained_init_bytes: u64,
    /// Live objects counted as for `retained_init_bytes`.
    pub retained_init_objects: u64,
}

/// What to weigh packages by in `heft cuts --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightKind {
    /// inittrace bytes of the package's init.
    InitBytes,
    /// inittrace allocations of the package's init.
    InitAllocs,
    /// Heap retained at the end of init, allocated during the package's init.
    Heap,
}

impl WeightKind {
    /// Parses the `heft cuts --by` names: `init-bytes`, `init-allocs`, `heap`.
    pub fn parse(name: &str) -> Option<WeightKind> {
        match name {
            "init-bytes" => Some(WeightKind::InitBytes),
            "init-allocs" => Some(WeightKind::InitAllocs),
            "heap" => Some(WeightKind::Heap),
            _ => None,
        }
    }
}

/// Reads saved `heft measure --json` files (one per binary, or several
/// binaries in one) as one measurement.
pub fn read_saved(paths: &[std::path::PathBuf]) -> Result<Measurement, SavedError> {
    let mut merged = Measurement { heft_measure: JSON_VERSION, go_version: String::new(), binaries: Vec::new() };
    for path in paths {
        let file = path.clone();
        let text = std::fs::read_to_string(path).map_err(|source| SavedError::Read { file: file.clone(), source })?;
        let m = load_json(&text).map_err(|source| SavedError::NotMeasurement { file: file.clone(), source })?;
        if m.heft_measure != JSON_VERSION {
            return Err(SavedError::Version { file, found: m.heft_measure });
        }
        if merged.go_version.is_empty() {
            merged.go_version = m.go_version;
        }
        // A binary measured again in a later file replaces the earlier one.
        for b in m.binaries {
            merged.binaries.retain(|old| old.package != b.package);
            merged.binaries.push(b);
        }
    }
    Ok(merged)
}

/// A saved `heft measure --json` that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// The file could not be read.
    #[error("reading {}", file.display())]
    Read {
        /// The saved file.
        file: std::path::PathBuf,
        /// Why it could not be read.
        source: std::io::Error,
    },
    /// The file is not JSON of the `heft measure --json` shape.
    #[error("{}: not a heft measure --json file", file.display())]
    NotMeasurement {
        /// The saved file.
        file: std::path::PathBuf,
        /// Where the JSON, or its shape, goes wrong.
        source: serde_json::Error,
    },
    /// The file is of another version of the document.
    #[error("{}: heftMeasure version {found} (this heft reads {JSON_VERSION})", file.display())]
    Version {
        /// The saved file.
        file: std::path::PathBuf,
        /// Its `heftMeasure`.
        found: u32,
    },
}

/// Per-package weights keyed by import path: for each package the largest
/// value over the measured binaries (a package's init is the same code in
/// each; the maximum keeps a weight when one binary lacks a line).
pub fn weights(m: &Measurement, kind: WeightKind) -> BTreeMap<String, u64> {
    let mut w: BTreeMap<String, u64> = BTreeMap::new();
    for b in &m.binaries {
        // "(no init frame)" and "(stack truncated)" are not packages.
        for p in b.packages.iter().filter(|p| !p.path.starts_with('(')) {
            let v = match kind {
                WeightKind::InitBytes => p.init_bytes,
                WeightKind::InitAllocs => p.init_allocs,
                WeightKind::Heap => p.retained_init_bytes,
            };
            let e = w.entry(p.path.clone()).or_default();
            *e = (*e).max(v);
        }
    }
    w
}

/// Reads a saved `heft measure --json` document.
pub fn load_json(text: &str) -> Result<Measurement, serde_json::Error> {
    serde_json::from_str(text)
}

fn median_u64(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    if v.is_empty() { 0 } else { v[(v.len() - 1) / 2] }
}

fn median_f64(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() { 0.0 } else { v[(v.len() - 1) / 2] }
}

/// Combines runs of the same binary: every number is the median (the lower
/// middle for an even count) over the runs.
pub fn median(runs: &[BinaryMeasure]) -> Option<BinaryMeasure> {
    let first = runs.first()?;
    let mut out = first.clone();
    out.runs = runs.len();
    let opt = |f: &dyn Fn(&BinaryMeasure) -> Option<u64>| -> Option<u64> {
        let v: Vec<u64> = runs.iter().filter_map(f).collect();
        (!v.is_empty()).then(|| median_u64(v))
    };
    out.heap_live = opt(&|b| b.heap_live);
    out.heap_objects = opt(&|b| b.heap_objects);
    out.mallocs = opt(&|b| b.mallocs);
    out.total_alloc = opt(&|b| b.total_alloc);
    out.sys = opt(&|b| b.sys);
    out.gc_count = opt(&|b| b.gc_count);
    out.gc_last_live_mb = opt(&|b| b.gc_last_live_mb);
    out.init_bytes = median_u64(runs.iter().map(|b| b.init_bytes).collect());
    out.init_allocs = median_u64(runs.iter().map(|b| b.init_allocs).collect());
    out.init_clock_ms = median_f64(runs.iter().map(|b| b.init_clock_ms).collect());
    out.warnings = runs.iter().flat_map(|b| b.warnings.iter().cloned()).collect::<BTreeSet<_>>().into_iter().collect();
    let mut order: Vec<String> = Vec::new();
    let mut by: BTreeMap<String, Vec<&PackageMeasure>> = BTreeMap::new();
    for b in runs {
        for p in &b.packages {
            if !by.contains_key(&p.path) {
                order.push(p.path.clone());
            }
            by.entry(p.path.clone()).or_default().push(p);
        }
    }
    out.packages = order
        .into_iter()
        .map(|path| {
            let ps = &by[&path];
            // A package missing from a run counts as zero there.
            let pad = runs.len().saturating_sub(ps.len());
            let u = |f: fn(&PackageMeasure) -> u64| {
                median_u64(ps.iter().map(|p| f(p)).chain(std::iter::repeat_n(0, pad)).collect())
            };
            PackageMeasure {
                init_bytes: u(|p| p.init_bytes),
                init_allocs: u(|p| p.init_allocs),
                init_clock_ms: median_f64(
                    ps.iter().map(|p| p.init_clock_ms).chain(std::iter::repeat_n(0.0, pad)).collect(),
                ),
                init_traced: ps.iter().any(|p| p.init_traced),
                retained_bytes: u(|p| p.retained_bytes),
                retained_objects: u(|p| p.retained_objects),
                retained_init_bytes: u(|p| p.retained_init_bytes),
                retained_init_objects: u(|p| p.retained_init_objects),
                path,
            }
        })
        .collect();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(heap: u64, clock: f64) -> BinaryMeasure {
        BinaryMeasure {
            package: "m".into(),
            mode: "probe".into(),
            runs: 1,
            binary_size: 10,
            package_count: Some(3),
            probe_only_packages: vec![],
            heap_live: Some(heap),
            heap_objects: Some(1),
            mallocs: Some(1),
            total_alloc: Some(1),
            sys: Some(1),
            init_bytes: 5,
            init_allocs: 1,
            init_clock_ms: clock,
            gc_count: None,
            gc_last_live_mb: None,
            ended: None,
            warnings: Vec::new(),
            packages: vec![PackageMeasure {
                path: "a".into(),
                init_bytes: heap,
                init_clock_ms: clock,
                retained_init_bytes: heap / 2,
                ..Default::default()
            }],
        }
    }

    #[test]
    fn medians_and_weights() {
        let m = median(&[bin(10, 3.0), bin(30, 1.0), bin(20, 2.0)]).unwrap();
        assert_eq!(m.heap_live, Some(20));
        assert_eq!(m.init_clock_ms, 2.0);
        assert_eq!(m.packages[0].init_bytes, 20);
        assert_eq!(m.runs, 3);
        let doc =
            Measurement { heft_measure: JSON_VERSION, go_version: "go1.26".into(), binaries: vec![m, bin(40, 1.0)] };
        let back = load_json(&serde_json::to_string(&doc).unwrap()).unwrap();
        assert_eq!(back, doc);
        assert_eq!(weights(&back, WeightKind::InitBytes)["a"], 40);
        assert_eq!(weights(&back, WeightKind::Heap)["a"], 20);
        assert_eq!(WeightKind::parse("heap"), Some(WeightKind::Heap));
        assert_eq!(WeightKind::parse("init-allocs"), Some(WeightKind::InitAllocs));
        assert_eq!(WeightKind::parse("size"), None);
    }
}
