//! Errors: fatal ones stop the load; package errors are recorded on the
//! package (and, like `go list -e`, let the load go on).

use std::path::PathBuf;

use thiserror::Error;

/// A failure that stops the whole load.
#[derive(Debug, Error)]
pub enum LoadError {
    #[error("{0}")]
    GoEnv(String),
    #[error("{file}:{line}: {msg}")]
    File { file: PathBuf, line: u32, msg: String },
    #[error("reading {path}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "cannot find main module: no go.mod in {0} or any parent directory (run heft inside a Go module, or pass -C DIR)"
    )]
    NoModule(PathBuf),
    #[error("{} requires go >= {needed} (running {running})", file.display())]
    GoTooNew { file: PathBuf, needed: String, running: String },
    #[error("GO111MODULE=off (GOPATH mode) is not supported yet")]
    GopathMode,
    /// A setting heft knows changes the package graph but does not model.
    #[error("{0}")]
    Unsupported(String),
    #[error("pattern {pattern}: {msg}")]
    Pattern { pattern: String, msg: String },
    /// The module graph needs a go.mod that is not in the module cache.
    /// `chain` is the requirement path to `module` ("a@v1 requires\n\t"),
    /// `module` is "path@version", maybe with " (replaced by …)".
    #[error(
        "{chain}{module}: go.mod is not in the module cache ({}); run `go mod download {fetch}` to fetch it (heft never uses the network)",
        file.display()
    )]
    ModNotInCache { chain: String, module: String, fetch: String, file: PathBuf },
    /// Another go.mod of the module graph could not be used.
    #[error("{chain}{module}: {msg}")]
    ModGraph { chain: String, module: String, msg: String },
    /// go.mod does not hold the versions minimal version selection picks
    /// (the go command's "updates to go.mod needed").
    #[error("{}: updates to go.mod needed ({reason}); to update it:\n\tgo mod tidy", file.display())]
    GoModDirty { file: PathBuf, reason: String },
    /// vendor/modules.txt disagrees with go.mod (`details`: one "\n\t…" line each).
    #[error(
        "inconsistent vendoring in {}:{details}\n\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo {subcommand} vendor",
        dir.display()
    )]
    InconsistentVendoring { dir: PathBuf, details: String, subcommand: &'static str },
}

/// What went wrong with one package; kept on the package so the rest of the
/// graph stays usable. Errors about one of the package's imports name the
/// imported path: see [`PackageError::import_path`].
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum PackageError {
    #[error("package {path} is not in std ({dir})")]
    NotInStd { path: String, dir: PathBuf },
    #[error("no required module provides package {path}; add it to go.mod (go get {path})")]
    NoModule { path: String },
    #[error(
        "module {module}@{version} provides package {path} but is not in the module cache ({dir}); run `go mod download {module}` to fetch it"
    )]
    NotInCache { path: String, module: String, version: String, dir: PathBuf },
    #[error("replacement directory {dir} for module {module} does not exist")]
    MissingReplacement { module: String, dir: PathBuf },
    #[error("module {module}: reading {}: no such file (a replacement directory needs a go.mod)", gomod.display())]
    ReplacementWithoutGoMod { module: String, gomod: PathBuf },
    #[error("ambiguous import: found package {path} in multiple modules: {modules}")]
    Ambiguous { path: String, modules: String },
    #[error("stat {dir}: {msg}")]
    BadDir { dir: PathBuf, msg: String },
    #[error("no Go files in {0}")]
    NoGoFiles(PathBuf),
    #[error("invalid input file name {0:?}")]
    InvalidFileName(String),
    #[error("case-insensitive file name collision: {a:?} and {b:?}")]
    FileNameCollision { a: String, b: String },
    #[error("build constraints exclude all Go files in {0}")]
    AllExcluded(PathBuf),
    #[error("found packages {a} ({file_a}) and {b} ({file_b}) in {dir}")]
    MultiplePackages { a: String, file_a: String, b: String, file_b: String, dir: PathBuf },
    #[error("{file}:{line}:{col}: {msg}")]
    BadFile { file: PathBuf, line: u32, col: u32, msg: String },
    #[error("reading {path}: {msg}")]
    Io { path: PathBuf, msg: String },
    #[error("use of internal package {path} not allowed")]
    Internal { path: String },
    /// The hops of the cycle, each "a imports b (file:line)".
    #[error("import cycle not allowed: {}", .0.join(", "))]
    Cycle(Vec<String>),
    #[error("local import {path:?} in non-local package")]
    LocalImport { path: String },
    #[error("use of vendored package {path} not allowed")]
    VendorVisibility { path: String },
    #[error("import {path:?} is a program, not an importable package")]
    ImportMain { path: String },
    #[error("{msg}")]
    InvalidPath { path: String, msg: String },
    #[error("{target} requires external (cgo) linking, but cgo is not enabled")]
    NeedsExternalLinking { target: String },
    #[error("package {path} exists in the vendor directory but is missing from vendor/modules.txt; run go mod vendor")]
    NotVendored { path: String },
}

impl PackageError {
    /// For an error about one of the package's imports, the imported path
    /// (so the import site can be shown).
    pub fn import_path(&self) -> Option<&str> {
        match self {
            PackageError::Internal { path }
            | PackageError::LocalImport { path }
            | PackageError::ImportMain { path }
            | PackageError::VendorVisibility { path } => Some(path),
            _ => None,
        }
    }

    /// Whether the package itself could not be found (its importers'
    /// import sites say where it was asked for).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            PackageError::NotInStd { .. }
                | PackageError::NoModule { .. }
                | PackageError::NotInCache { .. }
                | PackageError::MissingReplacement { .. }
                | PackageError::ReplacementWithoutGoMod { .. }
                | PackageError::Ambiguous { .. }
                | PackageError::InvalidPath { .. }
                | PackageError::NotVendored { .. }
        )
    }
}
