//! heft-load: the package graph of Go programs, natively — the same packages
//! and import edges `go list -deps` reports, with every import's sites.
//!
//! ```no_run
//! use heft_load::{load, EnvOverrides, GoEnv, LoadConfig};
//! let env = GoEnv::from_go_command(".".as_ref(), &EnvOverrides::default(), None).unwrap();
//! let prog = load(&LoadConfig { dir: ".".into(), patterns: vec!["./...".into()], env, index_dir: None }).unwrap();
//! for id in prog.deps_order() {
//!     println!("{}", prog.packages[id as usize].path);
//! }
//! ```

#![warn(missing_docs)]

mod env;
mod error;
mod index;
mod loader;
mod modules;
mod mvs;
mod pattern;
mod platform;
mod post;

use rustc_hash::FxHashMap as HashMap;
use std::path::PathBuf;

pub use env::{CoverMode, EnvOverrides, GoEnv, Instrument, ModMode, split_tags};
pub use error::{LoadError, PackageError};
pub use index::{default_cache_dir, format as index_format};
pub use loader::is_standard_path;
pub use modules::{ModId, Module, Modules, Replacement};

/// Index of a package in [`Program::packages`].
pub type PkgId = u32;

/// Where an import is written: a file of the importing package (an index
/// into [`Package::source_files`]), 1-based line and byte column of the
/// import path literal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Site {
    /// Index into [`Package::source_files`].
    pub file: u32,
    /// 1-based line.
    pub line: u32,
    /// 1-based byte column.
    pub col: u32,
}

/// One import edge of a package.
#[derive(Clone, Debug)]
pub struct Import {
    /// The imported package's path (after std vendor rewriting).
    pub path: String,
    /// The imported package.
    pub target: PkgId,
    /// Added by the toolchain (cgo support, the linker's runtime), not
    /// written in any file; such an import has no sites.
    pub implicit: bool,
    /// Where the import is written, in file order.
    pub sites: Vec<Site>,
}

/// One package of the graph.
#[derive(Clone, Debug)]
pub struct Package {
    /// Import path (`command-line-arguments` for files named on the command line).
    pub path: String,
    /// The directory its files are in.
    pub dir: PathBuf,
    /// The package clause name ("main" for commands).
    pub name: String,
    /// The module that provides it; `None` for the standard library.
    pub module: Option<ModId>,
    /// Part of the standard library (GOROOT/src).
    pub standard: bool,
    /// File names of the Go files that build without cgo (go list's GoFiles).
    pub go_files: Vec<String>,
    /// File names of the Go files that import "C" (go list's CgoFiles).
    pub cgo_files: Vec<String>,
    /// File names of the Go files excluded for this target (IgnoredGoFiles).
    pub ignored_go_files: Vec<String>,
    /// Total size of the GoFiles and CgoFiles.
    pub source_bytes: u64,
    /// Sorted by path.
    pub imports: Vec<Import>,
    /// What went wrong with this package; the load still goes on.
    pub errors: Vec<PackageError>,
}

impl Package {
    fn placeholder(path: &str) -> Package {
        Package {
            path: path.to_string(),
            dir: PathBuf::new(),
            name: String::new(),
            module: None,
            standard: false,
            go_files: Vec::new(),
            cgo_files: Vec::new(),
            ignored_go_files: Vec::new(),
            source_bytes: 0,
            imports: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// The files sites point into: GoFiles then CgoFiles.
    pub fn source_files(&self) -> impl Iterator<Item = &str> {
        self.go_files.iter().chain(&self.cgo_files).map(String::as_str)
    }

    /// The file name a site points into.
    pub fn site_file(&self, site: &Site) -> &str {
        self.source_files().nth(site.file as usize).unwrap_or("")
    }
}

/// What to load.
#[derive(Clone, Debug)]
pub struct LoadConfig {
    /// The directory patterns are relative to, and where go.mod is searched from.
    pub dir: PathBuf,
    /// Package patterns as for `go list` (`./...`, import paths, .go files).
    pub patterns: Vec<String>,
    /// The target and go settings.
    pub env: GoEnv,
    /// Where the persistent index lives (see [`default_cache_dir`]); None
    /// reads every file afresh.
    pub index_dir: Option<PathBuf>,
}

/// The loaded graph: every package reachable from the roots.
#[derive(Debug)]
pub struct Program {
    /// Every package, indexed by [`PkgId`].
    pub packages: Vec<Package>,
    /// The packages the patterns named, in pattern order.
    pub roots: Vec<PkgId>,
    /// The roots a pattern without `...` named (`./cmd/x`, an import
    /// path), as opposed to those a wildcard matched among others.
    pub named_roots: Vec<PkgId>,
    /// The build list the packages came from.
    pub modules: Modules,
    /// Things worth saying that are not errors ("./x/..." matched no packages).
    pub warnings: Vec<String>,
    by_path: HashMap<String, PkgId>,
}

impl Program {
    /// The package with import path `path`, if it was loaded.
    pub fn lookup(&self, path: &str) -> Option<PkgId> {
        self.by_path.get(path).copied()
    }

    /// The package with id `id`.
    pub fn package(&self, id: PkgId) -> &Package {
        &self.packages[id as usize]
    }

    /// The packages in `go list -deps` order: each package after everything
    /// it imports, roots in pattern order.
    pub fn deps_order(&self) -> Vec<PkgId> {
        post::deps_order(&self.packages, &self.roots)
    }

    /// Keeps only `roots` (a subset of the roots, in the order given) and
    /// what they reach; package ids change.
    pub fn keep_roots(&mut self, roots: &[PkgId]) {
        self.named_roots.retain(|r| roots.contains(r));
        self.roots = roots.to_vec();
        post::prune_unreachable(self);
    }
}

/// Loads the packages matching the patterns and all their dependencies.
/// Package-level problems are recorded on the packages
/// ([`Package::errors`]); only problems that leave nothing to analyze (no
/// module, a malformed go.mod, a bad pattern) fail the load.
pub fn load(cfg: &LoadConfig) -> Result<Program, LoadError> {
    let dir = std::path::absolute(&cfg.dir).map_err(|source| LoadError::Io { path: cfg.dir.clone(), source })?;
    let mut modules = modules::Modules::discover(&dir, &cfg.env)?;
    // An import-path pattern with "..." matches against the whole module
    // graph, as the go command does.
    if modules.graph_pending() && cfg.patterns.iter().any(|p| p.contains("...") && !pattern::is_local(p)) {
        modules.add_graph_modules(&cfg.env, None)?;
    }
    let command_line = pattern::command_line_files(&cfg.patterns, &dir)?;
    let (matches, warnings, mut packages, by_path) = loop {
        let index = index::Index::open(cfg.index_dir.as_deref(), &cfg.env);
        let loader = loader::Loader::new(&cfg.env, &modules, index, command_line.clone());
        let (matches, warnings) = match command_line {
            Some(_) => (vec![pattern::Match::named(pattern::COMMAND_LINE_ARGUMENTS)], Vec::new()),
            None => pattern::expand(&cfg.patterns, &dir, &loader)?,
        };
        let roots: Vec<(String, Option<PackageError>)> =
            matches.iter().map(|m| (m.path.clone(), m.error.clone())).collect();
        let (packages, by_path) = loader.load_all(&roots);
        loader.save_index();
        // go.mod must list what the modules providing packages require
        // (or, with -mod=mod, their versions are taken: load again).
        let mut providers: Vec<ModId> = packages.iter().filter_map(|p| p.module).collect();
        providers.sort_unstable();
        providers.dedup();
        if modules.check_providers(&providers, &cfg.env)? {
            continue;
        }
        // An import that no module in go.mod provides may come from the
        // module graph (go.mod is not tidy): load the graph once, try again.
        if modules.graph_pending() {
            let missing: Vec<&str> = packages
                .iter()
                .filter(|p| p.errors.iter().any(|e| matches!(e, PackageError::NoModule { .. })))
                .map(|p| p.path.as_str())
                .collect();
            if !missing.is_empty() && !modules.add_graph_modules(&cfg.env, Some(&missing))?.is_empty() {
                continue;
            }
        }
        break (matches, warnings, packages, by_path);
    };
    let mut roots: Vec<PkgId> = Vec::new();
    let mut named_roots: Vec<PkgId> = Vec::new();
    for m in &matches {
        let id = by_path[&m.path];
        if !m.wildcard && !named_roots.contains(&id) {
            named_roots.push(id);
        }
        // Like the go command, a wildcard silently skips directories whose
        // Go files are all excluded for this build.
        if m.wildcard
            && packages[id as usize]
                .errors
                .iter()
                .any(|e| matches!(e, PackageError::AllExcluded(_) | PackageError::NoGoFiles(_)))
        {
            continue;
        }
        if !roots.contains(&id) {
            roots.push(id);
        }
    }
    modules.check_graph_modules(&packages, &roots)?;
    post::check_imports(&mut packages, &modules);
    post::mark_cycles(&mut packages, &roots);
    named_roots.retain(|r| roots.contains(r));
    let mut prog = Program { packages, roots, named_roots, modules, warnings, by_path };
    post::prune_unreachable(&mut prog);
    Ok(prog)
}
