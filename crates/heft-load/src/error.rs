//! Errors: fatal ones stop the load; package errors are recorded on the
//! package (and, like `go list -e`, let the load go on).

use std::path::PathBuf;

use thiserror::Error;

/// A failure that stops the whole load.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The environment or flags are unusable (bad `go env` output, a -mod
    /// value workspace mode refuses, a module listed twice in go.work).
    #[error("{0}")]
    GoEnv(String),
    /// A go.mod, go.work or vendor/modules.txt the go command would reject.
    #[error("{file}:{line}: {msg}")]
    File {
        /// The file at fault.
        file: PathBuf,
        /// 1-based line of the problem.
        line: u32,
        /// The go command's message.
        msg: String,
    },
    /// A file or directory the load needs could not be read.
    #[error("reading {path}")]
    Io {
        /// What was being read.
        path: PathBuf,
        /// Why it failed.
        source: std::io::Error,
    },
    /// No go.mod in the directory or above it (and no go.work).
    #[error(
        "cannot find main module: no go.mod in {0} or any parent directory (run heft inside a Go module, or pass -C DIR)"
    )]
    NoModule(PathBuf),
    /// A go.mod or go.work asks for a newer Go than the installed toolchain.
    #[error("{} requires go >= {needed} (running {running})", file.display())]
    GoTooNew {
        /// The go.mod or go.work.
        file: PathBuf,
        /// Its `go` line.
        needed: String,
        /// The toolchain's GOVERSION.
        running: String,
    },
    /// GOPATH mode, which heft does not implement.
    #[error("GO111MODULE=off (GOPATH mode) is not supported yet")]
    GopathMode,
    /// A setting heft knows changes the package graph but does not model.
    #[error("{0}")]
    Unsupported(String),
    /// A package pattern that cannot be expanded.
    #[error("pattern {pattern}: {msg}")]
    Pattern {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with it.
        msg: String,
    },
    /// The module graph needs a go.mod that is not in the module cache.
    /// `chain` is the requirement path to `module` ("a@v1 requires\n\t"),
    /// `module` is "path@version", maybe with " (replaced by …)".
    #[error(
        "{chain}{module}: go.mod is not in the module cache ({}); run `go mod download {fetch}` to fetch it (heft never uses the network)",
        file.display()
    )]
    ModNotInCache {
        /// Requirement path leading to `module`, one "a@v1 requires\n\t" per hop.
        chain: String,
        /// "path@version", maybe with " (replaced by …)".
        module: String,
        /// The argument for `go mod download`.
        fetch: String,
        /// Where the go.mod was looked for.
        file: PathBuf,
    },
    /// Another go.mod of the module graph could not be used.
    #[error("{chain}{module}: {msg}")]
    ModGraph {
        /// Requirement path leading to `module`, as in `ModNotInCache`.
        chain: String,
        /// "path@version", maybe with " (replaced by …)".
        module: String,
        /// What is wrong with its go.mod.
        msg: String,
    },
    /// go.mod does not hold the versions minimal version selection picks
    /// (the go command's "updates to go.mod needed").
    #[error("{}: updates to go.mod needed ({reason}); to update it:\n\tgo mod tidy", file.display())]
    GoModDirty {
        /// The main module's go.mod.
        file: PathBuf,
        /// Which requirement is off, in the go command's words.
        reason: String,
    },
    /// vendor/modules.txt disagrees with go.mod (`details`: one "\n\t…" line each).
    #[error(
        "inconsistent vendoring in {}:{details}\n\n\tTo ignore the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor directory, run:\n\t\tgo {subcommand} vendor",
        dir.display()
    )]
    InconsistentVendoring {
        /// The main module (or workspace) directory.
        dir: PathBuf,
        /// One "\n\t…" line per disagreement.
        details: String,
        /// `mod` or `work`: which `go … vendor` fixes it.
        subcommand: &'static str,
    },
}

/// What went wrong with one package; kept on the package so the rest of the
/// graph stays usable. Errors about one of the package's imports name the
/// imported path: see [`PackageError::import_path`].
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum PackageError {
    /// A standard-library-looking path with no directory in GOROOT.
    #[error("package {path} is not in std ({dir})")]
    NotInStd {
        /// Import path.
        path: String,
        /// Where it was looked for.
        dir: PathBuf,
    },
    /// No module of the build list has the path as a prefix.
    #[error("no required module provides package {path}; add it to go.mod (go get {path})")]
    NoModule {
        /// Import path.
        path: String,
    },
    /// The providing module's files are not in the module cache.
    #[error(
        "module {module}@{version} provides package {path} but is not in the module cache ({dir}); run `go mod download {module}` to fetch it"
    )]
    NotInCache {
        /// Import path.
        path: String,
        /// The module that would provide it.
        module: String,
        /// Its selected version.
        version: String,
        /// The module cache directory that is missing.
        dir: PathBuf,
    },
    /// A directory replacement points nowhere.
    #[error("replacement directory {dir} for module {module} does not exist")]
    MissingReplacement {
        /// The replaced module's path.
        module: String,
        /// The replacement directory.
        dir: PathBuf,
    },
    /// A directory replacement without a go.mod.
    #[error("module {module}: reading {}: no such file (a replacement directory needs a go.mod)", gomod.display())]
    ReplacementWithoutGoMod {
        /// The replaced module's path.
        module: String,
        /// The go.mod that is missing.
        gomod: PathBuf,
    },
    /// Several modules of the build list provide the package.
    #[error("ambiguous import: found package {path} in multiple modules: {modules}")]
    Ambiguous {
        /// Import path.
        path: String,
        /// The modules and their directories, as the go command lists them.
        modules: String,
    },
    /// The package directory could not be listed.
    #[error("stat {dir}: {msg}")]
    BadDir {
        /// The package directory.
        dir: PathBuf,
        /// The OS error.
        msg: String,
    },
    /// The directory has no Go files at all.
    #[error("no Go files in {0}")]
    NoGoFiles(PathBuf),
    /// A command-line file name go refuses (one that could pass for a flag).
    #[error("invalid input file name {0:?}")]
    InvalidFileName(String),
    /// Two command-line file names equal but for case.
    #[error("case-insensitive file name collision: {a:?} and {b:?}")]
    FileNameCollision {
        /// The first name.
        a: String,
        /// The second name.
        b: String,
    },
    /// Every Go file is excluded for this target (constraints or suffixes).
    #[error("build constraints exclude all Go files in {0}")]
    AllExcluded(PathBuf),
    /// Two package clauses disagree.
    #[error("found packages {a} ({file_a}) and {b} ({file_b}) in {dir}")]
    MultiplePackages {
        /// The first package name.
        a: String,
        /// A file declaring `a`.
        file_a: String,
        /// The other package name.
        b: String,
        /// A file declaring `b`.
        file_b: String,
        /// The package directory.
        dir: PathBuf,
    },
    /// A Go file whose header is invalid (NUL, syntax, bad import path,
    /// bad `//go:build` line).
    #[error("{file}:{line}:{col}: {msg}")]
    BadFile {
        /// The file (or the `//line` file the position moved to).
        file: PathBuf,
        /// 1-based line.
        line: u32,
        /// 1-based byte column.
        col: u32,
        /// go's message.
        msg: String,
    },
    /// A Go file could not be read.
    #[error("reading {path}: {msg}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        msg: String,
    },
    /// An import of an `internal` package from outside its tree.
    #[error("use of internal package {path} not allowed")]
    Internal {
        /// The imported path.
        path: String,
    },
    /// The hops of the cycle, each "a imports b (file:line)".
    #[error("import cycle not allowed: {}", .0.join(", "))]
    Cycle(Vec<String>),
    /// A relative import (`./x`, `../x`) in a package with a real import
    /// path.
    #[error("local import {path:?} in non-local package")]
    LocalImport {
        /// The import as written.
        path: String,
    },
    /// An import of a path inside some other tree's `vendor` directory.
    #[error("use of vendored package {path} not allowed")]
    VendorVisibility {
        /// The imported path.
        path: String,
    },
    /// An import of a `package main`.
    #[error("import {path:?} is a program, not an importable package")]
    ImportMain {
        /// The imported path.
        path: String,
    },
    /// An import path go rejects as malformed.
    #[error("{msg}")]
    InvalidPath {
        /// The path.
        path: String,
        /// The go command's message.
        msg: String,
    },
    /// A command for a GOOS/GOARCH that only links externally (through
    /// cgo), with cgo off.

    #[error("{target} requires external (cgo) linking, but cgo is not enabled")]
    NeedsExternalLinking {
        /// GOOS/GOARCH.
        target: String,
    },
    /// In vendor mode (go >= 1.23) a package under vendor/ that modules.txt
    /// does not list.
    #[error("package {path} exists in the vendor directory but is missing from vendor/modules.txt; run go mod vendor")]
    NotVendored {
        /// Import path.
        path: String,
    },
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
