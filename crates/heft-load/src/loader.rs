//! Loading packages: resolve an import path to a directory, select its files
//! as go/build does, read their import headers, and follow the imports, in
//! parallel waves over the frontier of newly found packages.

use std::sync::OnceLock;

use rustc_hash::FxHashMap as HashMap;
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use heft_gosrc::{BuildContext, FileError, FileMatch, NameMatch};
use rayon::prelude::*;

use crate::env::GoEnv;
use crate::error::PackageError;
use crate::index::{CachedPackage, Index};
use crate::modules::{ModId, Modules};
use crate::pattern::{COMMAND_LINE_ARGUMENTS, CommandLineFiles};
use crate::platform::external_linking_required;
use crate::{Import, Package, PkgId, Site};

/// The first read of each file; almost every import header fits.
const HEADER_CHUNK: usize = 8 * 1024;

/// Where an import path was found.
struct Found {
    dir: PathBuf,
    module: Option<ModId>,
    standard: bool,
    /// The directory's file names (sorted), read once for both the
    /// "has Go files" check and file selection.
    files: Vec<String>,
    /// The package as an earlier load read it, from the index.
    cached: Option<CachedPackage>,
}

/// One import as written in a file, before it becomes a graph edge.
struct RawImport {
    /// The path after vendor rewriting (what `go list` shows in Imports).
    path: String,
    site: Option<Site>,
}

/// Everything learned from one package directory.
pub(crate) struct Loaded {
    dir: PathBuf,
    module: Option<ModId>,
    standard: bool,
    name: String,
    go_files: Vec<String>,
    cgo_files: Vec<String>,
    ignored_go_files: Vec<String>,
    source_bytes: u64,
    imports: Vec<RawImport>,
    errors: Vec<PackageError>,
}

pub(crate) struct Loader<'a> {
    pub env: &'a GoEnv,
    pub ctx: BuildContext,
    pub mods: &'a Modules,
    goroot_src: PathBuf,
    index: Index,
    /// Whether each module's directory exists, looked up once.
    module_dir_exists: Vec<OnceLock<bool>>,
    /// Go files named on the command line: the package
    /// `command-line-arguments`.
    command_line: Option<CommandLineFiles>,
}

impl<'a> Loader<'a> {
    pub fn new(env: &'a GoEnv, mods: &'a Modules, index: Index, command_line: Option<CommandLineFiles>) -> Loader<'a> {
        let module_dir_exists = mods.list.iter().map(|_| OnceLock::new()).collect();
        let (ctx, goroot_src) = (env.build_context(), env.goroot_src());
        Loader { env, ctx, mods, goroot_src, index, module_dir_exists, command_line }
    }

    /// Ends the load, keeping what it read in immutable directories.
    pub fn save_index(self) {
        self.index.save();
    }

    /// The sorted file names of a directory that holds at least one `.go`
    /// file, or None (the go command's "plausible package directory" test:
    /// build constraints do not matter here).
    /// The package kept in the index for it comes along.
    fn dir_files(&self, dir: &Path) -> Option<(Vec<String>, Option<CachedPackage>)> {
        if !self.index.immutable(dir) {
            return go_dir_files(dir).map(|f| (f, None));
        }
        if let Some(cached) = self.index.get(dir) {
            return cached.files.map(|f| (f, cached.package));
        }
        let files = go_dir_files(dir);
        self.index.put_files(dir, files.clone());
        files.map(|f| (f, None))
    }

    /// Loads `roots` and everything they import. Returns the packages in
    /// discovery order; `by_path` maps import paths to their ids.
    /// A root that comes with an error (a pattern naming no package) is
    /// listed with it and not loaded.
    pub fn load_all(&self, roots: &[(String, Option<PackageError>)]) -> (Vec<Package>, HashMap<String, PkgId>) {
        let mut packages: Vec<Package> = Vec::new();
        let mut by_path: HashMap<String, PkgId> = HashMap::default();
        let mut frontier: Vec<PkgId> = Vec::new();
        for (path, error) in roots {
            let id = intern(&mut packages, &mut by_path, &mut frontier, path);
            if let Some(e) = error {
                frontier.retain(|&f| f != id);
                packages[id as usize].errors = vec![e.clone()];
            }
        }
        while !frontier.is_empty() {
            let wave: Vec<(PkgId, Loaded)> =
                frontier.par_iter().map(|&id| (id, self.load_one(&packages[id as usize].path))).collect();
            frontier.clear();
            for (id, loaded) in wave {
                let mut imports: Vec<Import> = Vec::new();
                for raw in loaded.imports {
                    let target = intern(&mut packages, &mut by_path, &mut frontier, &raw.path);
                    match imports.iter_mut().find(|i| i.target == target) {
                        Some(existing) => existing.sites.extend(raw.site),
                        None => imports.push(Import {
                            path: raw.path,
                            target,
                            implicit: raw.site.is_none(),
                            sites: raw.site.into_iter().collect(),
                        }),
                    }
                }
                // The go command's order, which `go list -deps` walks: the
                // paths as written, sorted (a std package's vendored imports
                // by their unvendored path), then the toolchain's implicit
                // imports in the order it adds them.
                imports.sort_by(|a, b| {
                    (a.implicit, written_path(a, loaded.standard)).cmp(&(b.implicit, written_path(b, loaded.standard)))
                });
                let p = &mut packages[id as usize];
                p.dir = loaded.dir;
                p.module = loaded.module;
                p.standard = loaded.standard;
                p.name = loaded.name;
                p.go_files = loaded.go_files;
                p.cgo_files = loaded.cgo_files;
                p.ignored_go_files = loaded.ignored_go_files;
                p.source_bytes = loaded.source_bytes;
                p.imports = imports;
                p.errors = loaded.errors;
            }
        }
        (packages, by_path)
    }

    fn load_one(&self, path: &str) -> Loaded {
        let mut loaded = Loaded {
            dir: PathBuf::new(),
            module: None,
            standard: is_standard_path(path),
            name: String::new(),
            go_files: Vec::new(),
            cgo_files: Vec::new(),
            ignored_go_files: Vec::new(),
            source_bytes: 0,
            imports: Vec::new(),
            errors: Vec::new(),
        };
        if path == COMMAND_LINE_ARGUMENTS
            && let Some(named) = &self.command_line
        {
            // Never cached: the index keeps whole directories.
            let found = Found {
                dir: named.dir.clone(),
                module: None,
                standard: false,
                files: named.files.clone(),
                cached: None,
            };
            loaded.dir = named.dir.clone();
            loaded.standard = false;
            self.read_package_files(path, found, &mut loaded, true);
            return loaded;
        }
        match self.resolve(path) {
            Ok(found) => {
                loaded.dir = found.dir.clone();
                loaded.module = found.module;
                loaded.standard = found.standard;
                self.read_package(path, found, &mut loaded);
            }
            Err(e) => loaded.errors.push(e),
        }
        loaded
    }

    /// Finds the directory of an import path: GOROOT for std, else the
    /// vendor directory or the build list module with the longest matching
    /// path (the go command's rules, including its ambiguity error).
    fn resolve(&self, path: &str) -> Result<Found, PackageError> {
        if path == "C"
            || path.is_empty()
            || path.starts_with('/')
            || path.starts_with("./")
            || path.starts_with("../")
            || path.contains('@')
        {
            return Err(PackageError::InvalidPath {
                path: path.to_string(),
                msg: "not an importable package path".into(),
            });
        }
        if let Err(e) = heft_gomod::check_import_path(path) {
            return Err(PackageError::InvalidPath { path: path.to_string(), msg: e.to_string() });
        }
        if is_standard_path(path) {
            let dir = self.goroot_src.join(path);
            if let Some((files, cached)) = self.dir_files(&dir) {
                return Ok(Found { dir, module: None, standard: true, files, cached });
            }
        }
        if let Some(vendor) = &self.mods.vendor {
            return self.resolve_vendored(path, vendor);
        }
        let mut candidates: Vec<Found> = Vec::new();
        let mut missing: Option<PackageError> = None;
        for prefix in path_prefixes(path) {
            let Some(&id) = self.mods.by_path.get(prefix) else {
                continue;
            };
            let m = &self.mods.list[id as usize];
            if !*self.module_dir_exists[id as usize].get_or_init(|| m.dir.is_dir()) {
                missing.get_or_insert_with(|| match &m.replace {
                    Some(crate::modules::Replacement::Dir(d)) => {
                        PackageError::MissingReplacement { module: m.path.clone(), dir: d.clone() }
                    }
                    _ => PackageError::NotInCache {
                        path: path.to_string(),
                        module: m.path.clone(),
                        version: m.version.clone().unwrap_or_default(),
                        dir: m.dir.clone(),
                    },
                });
                continue;
            }
            // A directory replacement is a module only with its go.mod.
            if let Some(crate::modules::Replacement::Dir(d)) = &m.replace
                && !d.join("go.mod").is_file()
            {
                missing.get_or_insert_with(|| PackageError::ReplacementWithoutGoMod {
                    module: m.path.clone(),
                    gomod: d.join("go.mod"),
                });
                continue;
            }
            let dir = if path.len() == prefix.len() { m.dir.clone() } else { m.dir.join(&path[prefix.len() + 1..]) };
            if m.local && nested_module_between(&m.dir, &dir) {
                continue;
            }
            if let Some((files, cached)) = self.dir_files(&dir) {
                candidates.push(Found { dir, module: Some(id), standard: false, files, cached });
            }
        }
        match candidates.len() {
            1 => Ok(candidates.pop().expect("one candidate")),
            0 => Err(missing.unwrap_or_else(|| {
                if is_standard_path(path) {
                    PackageError::NotInStd { path: path.to_string(), dir: self.goroot_src.join(path) }
                } else {
                    PackageError::NoModule { path: path.to_string() }
                }
            })),
            _ => Err(PackageError::Ambiguous {
                path: path.to_string(),
                modules: candidates
                    .iter()
                    .rev()
                    .map(|f| format!("{} ({})", self.mods.list[f.module.unwrap_or(0) as usize].path, f.dir.display()))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn resolve_vendored(&self, path: &str, vendor: &crate::modules::Vendor) -> Result<Found, PackageError> {
        let mut found: Vec<Found> = Vec::new();
        for &id in &self.mods.main {
            let m = &self.mods.list[id as usize];
            if let Some(rest) = strip_path_prefix(path, &m.path) {
                let dir = if rest.is_empty() { m.dir.clone() } else { m.dir.join(rest) };
                if !nested_module_between(&m.dir, &dir)
                    && let Some((files, cached)) = self.dir_files(&dir)
                {
                    found.push(Found { dir, module: Some(id), standard: false, files, cached });
                }
            }
        }
        let dir = vendor.dir.join(path);
        if let Some((files, cached)) = self.dir_files(&dir) {
            match vendor.packages.get(path) {
                Some(&id) => found.push(Found { dir, module: Some(id), standard: false, files, cached }),
                None if !vendor.require_listed => {
                    found.push(Found { dir, module: None, standard: false, files, cached })
                }
                None => {
                    if found.is_empty() {
                        return Err(PackageError::NotVendored { path: path.to_string() });
                    }
                }
            }
        }
        match found.len() {
            0 => Err(PackageError::NoModule { path: path.to_string() }),
            1 => Ok(found.pop().expect("one")),
            _ => Err(PackageError::Ambiguous {
                path: path.to_string(),
                modules: found.iter().map(|f| f.dir.display().to_string()).collect::<Vec<_>>().join(", "),
            }),
        }
    }

    /// Selects the package's files and reads their import headers (or
    /// takes them from the index).
    fn read_package(&self, path: &str, found: Found, out: &mut Loaded) {
        let immutable = self.index.immutable(&found.dir);
        if immutable && let Some(cached) = found.cached {
            out.name = cached.name;
            out.go_files = cached.go_files;
            out.cgo_files = cached.cgo_files;
            out.ignored_go_files = cached.ignored_go_files;
            out.source_bytes = cached.source_bytes;
            out.imports = cached
                .imports
                .into_iter()
                .map(|(path, site)| RawImport { path, site: site.map(|(file, line, col)| Site { file, line, col }) })
                .collect();
            return;
        }
        let dir = found.dir.clone();
        self.read_package_files(path, found, out, false);
        if immutable && out.errors.is_empty() {
            self.index.put_package(
                &dir,
                CachedPackage {
                    name: out.name.clone(),
                    go_files: out.go_files.clone(),
                    cgo_files: out.cgo_files.clone(),
                    ignored_go_files: out.ignored_go_files.clone(),
                    source_bytes: out.source_bytes,
                    imports: out
                        .imports
                        .iter()
                        .map(|i| (i.path.clone(), i.site.map(|s| (s.file, s.line, s.col))))
                        .collect(),
                },
            );
        }
    }

    /// A `_test.go` file go/build would read: not hidden, and for the
    /// target by its name (its constraints are read with its header).
    fn is_test_candidate(&self, name: &str) -> bool {
        name.ends_with("_test.go")
            && !name.starts_with(['_', '.'])
            && heft_gosrc::filename::good_os_arch_file(name, &self.ctx.goos, &self.ctx.goarch)
    }

    /// Selects and reads a package's files; `all_files` (files named on the
    /// command line) ignores file-name suffixes and build constraints, as
    /// go/build's UseAllFiles does.
    fn read_package_files(&self, path: &str, found: Found, out: &mut Loaded, all_files: bool) {
        let mut first_name_file = String::new();
        let mut candidates = 0usize;
        let mut cgo = false;
        let mut header_imports: Vec<(usize, heft_gosrc::Import)> = Vec::new();
        let mut file_is_cgo: Vec<bool> = Vec::new();
        let mut included: Vec<String> = Vec::new();
        let mut has_tests = false;
        for name in found.files.iter().cloned() {
            // Test files are not built, but go/build reads their package
            // clause like any file's: `p` or `p_test`, anything else is a
            // second package in the directory.
            if !all_files && self.is_test_candidate(&name) {
                if let FileOutcome::Included(header, _) = read_file_header(&found.dir.join(&name), &self.ctx) {
                    has_tests = true;
                    let package = match header.package.strip_suffix("_test") {
                        Some(p) if header.package != out.name => p.to_string(),
                        _ => header.package,
                    };
                    if package == "documentation" {
                        continue;
                    }
                    if out.name.is_empty() {
                        out.name = package;
                        first_name_file = name;
                    } else if package != out.name {
                        out.errors.push(PackageError::MultiplePackages {
                            a: out.name.clone(),
                            file_a: first_name_file.clone(),
                            b: package,
                            file_b: name,
                            dir: found.dir.clone(),
                        });
                    }
                }
                continue;
            }
            match self.ctx.match_name(&name) {
                NameMatch::NotGo => continue,
                NameMatch::Ignored if !all_files => {
                    out.ignored_go_files.push(name);
                    continue;
                }
                NameMatch::Ignored | NameMatch::Candidate => {}
            }
            candidates += 1;
            let file = found.dir.join(&name);
            let (header, size) = match read_file_header(&file, &self.ctx) {
                FileOutcome::Included(h, size) => (h, size),
                // Named on the command line, a file builds whatever its
                // constraints say; with cgo off, one importing "C" does not.
                FileOutcome::Excluded(h) if all_files && (self.ctx.cgo_enabled || !h.imports_c()) => {
                    let size = fs::metadata(&file).map_or(0, |m| m.len());
                    (h, size)
                }
                FileOutcome::Excluded(_) => {
                    out.ignored_go_files.push(name);
                    continue;
                }
                FileOutcome::Invalid { error, kept_as } => {
                    // Like the go command, the first broken file is the
                    // package's error (50,000 empty files: one line).
                    if !out.errors.iter().any(|e| matches!(e, PackageError::BadFile { .. })) {
                        out.errors.push(error);
                    }
                    match kept_as {
                        // Counted as a file of the package, but none of its imports are.
                        Some(package) => (heft_gosrc::Header { package, imports: Vec::new() }, 0),
                        None => continue,
                    }
                }
            };
            if header.package == "documentation" {
                out.ignored_go_files.push(name);
                continue;
            }
            out.source_bytes += size;
            if out.name.is_empty() {
                out.name = header.package.clone();
                first_name_file = name.clone();
            } else if header.package != out.name {
                out.errors.push(PackageError::MultiplePackages {
                    a: out.name.clone(),
                    file_a: first_name_file.clone(),
                    b: header.package.clone(),
                    file_b: name.clone(),
                    dir: found.dir.clone(),
                });
            }
            let is_cgo = header.imports_c();
            cgo |= is_cgo;
            let file_index = included.len();
            file_is_cgo.push(is_cgo);
            included.push(name);
            header_imports.extend(header.imports.into_iter().map(|i| (file_index, i)));
        }
        // A directory of tests only is a package without error (go list
        // shows it with no files).
        if included.is_empty() && out.errors.is_empty() && !has_tests {
            out.errors.push(if candidates > 0 || !out.ignored_go_files.is_empty() {
                PackageError::AllExcluded(found.dir.clone())
            } else {
                PackageError::NoGoFiles(found.dir.clone())
            });
        }
        if out.errors.is_empty() {
            out.errors.extend(input_file_name_error(&found.files));
        }
        // Sites index the package's files in go list order: GoFiles, then CgoFiles.
        let mut order: Vec<u32> = vec![0; included.len()];
        let (mut go_n, cgo_total) = (0u32, file_is_cgo.iter().filter(|c| **c).count() as u32);
        let mut cgo_n = 0u32;
        let go_total = included.len() as u32 - cgo_total;
        for (i, name) in included.into_iter().enumerate() {
            if file_is_cgo[i] {
                order[i] = go_total + cgo_n;
                cgo_n += 1;
                out.cgo_files.push(name);
            } else {
                order[i] = go_n;
                go_n += 1;
                out.go_files.push(name);
            }
        }
        let importer_std = out.standard;
        for (file_index, imp) in header_imports {
            if imp.path == "C" {
                continue;
            }
            let resolved = if importer_std { self.std_vendor(path, imp.path) } else { imp.path };
            out.imports.push(RawImport {
                path: resolved,
                site: Some(Site { file: order[file_index], line: imp.line, col: imp.col }),
            });
        }
        self.add_implicit_imports(path, cgo, out);
    }

    /// Imports the toolchain adds: cgo's runtime support, and what the
    /// linker needs for a main package.
    fn add_implicit_imports(&self, path: &str, cgo: bool, out: &mut Loaded) {
        let add = |p: &str, out: &mut Loaded| {
            if !out.imports.iter().any(|i| i.path == p) {
                out.imports.push(RawImport { path: p.to_string(), site: None });
            }
        };
        if cgo {
            add("unsafe", out);
            if !(out.standard && path == "runtime/cgo") {
                add("runtime/cgo", out);
            }
            if !(out.standard && matches!(path, "runtime/cgo" | "runtime/race" | "runtime/msan" | "runtime/asan")) {
                add("syscall", out);
            }
        }
        if out.name == "main" {
            let external = external_linking_required(&self.env.goos, &self.env.goarch);
            if external && !self.env.cgo_enabled {
                out.errors.push(PackageError::NeedsExternalLinking {
                    target: format!("{}/{}", self.env.goos, self.env.goarch),
                });
                return;
            }
            add("runtime", out);
            if external {
                add("runtime/cgo", out);
            }
            if self.env.goarch == "arm" {
                add("math", out);
            }
            for dep in self.env.linker_deps() {
                add(dep, out);
            }
        }
    }

    /// Inside the standard library, imports of non-std paths resolve to
    /// GOROOT/src/vendor (GOROOT/src/cmd/vendor under cmd).
    fn std_vendor(&self, importer: &str, path: String) -> String {
        if is_standard_path(&path) {
            return path;
        }
        let vendored = if importer == "cmd" || importer.starts_with("cmd/") {
            format!("cmd/vendor/{path}")
        } else {
            format!("vendor/{path}")
        };
        if self.goroot_src.join(&vendored).is_dir() { vendored } else { path }
    }
}

fn intern(
    packages: &mut Vec<Package>,
    by_path: &mut HashMap<String, PkgId>,
    frontier: &mut Vec<PkgId>,
    path: &str,
) -> PkgId {
    if let Some(&id) = by_path.get(path) {
        return id;
    }
    let id = packages.len() as PkgId;
    packages.push(Package::placeholder(path));
    by_path.insert(path.to_string(), id);
    frontier.push(id);
    id
}

/// What reading one candidate file gave.
enum FileOutcome {
    /// In the build, with its header.
    Included(heft_gosrc::Header, u64),
    /// Excluded by constraints (or cgo off): IgnoredGoFiles.
    Excluded(heft_gosrc::Header),
    /// Broken header: with `Some(package)` it still counts as a package
    /// file (go list keeps it in GoFiles, without its imports).
    Invalid { error: PackageError, kept_as: Option<String> },
}

/// Reads just enough of a file for its header, then decides if it builds.
fn read_file_header(file: &Path, ctx: &BuildContext) -> FileOutcome {
    let io_err = |e: std::io::Error| FileOutcome::Invalid {
        error: PackageError::Io { path: file.to_path_buf(), msg: e.to_string() },
        kept_as: None,
    };
    let mut f = match File::open(file) {
        Ok(f) => f,
        Err(e) => return io_err(e),
    };
    let mut buf = vec![0u8; HEADER_CHUNK];
    let mut n = 0;
    loop {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(r) => n += r,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return io_err(e),
        }
        if n == buf.len() {
            break;
        }
    }
    let complete = n < buf.len();
    buf.truncate(n);
    let mut result = ctx.match_header(&buf, complete);
    if matches!(result, Err(FileError::Incomplete)) {
        if let Err(e) = f.read_to_end(&mut buf) {
            return io_err(e);
        }
        result = ctx.match_header(&buf, true);
    }
    match result {
        Ok(FileMatch::Included(h)) => {
            // A file read whole gives its size; otherwise ask.
            let size = if complete || buf.len() > HEADER_CHUNK {
                buf.len() as u64
            } else {
                f.metadata().map_or(0, |m| m.len())
            };
            FileOutcome::Included(h, size)
        }
        Ok(FileMatch::Excluded(h)) => FileOutcome::Excluded(h),
        Err(e) => {
            let (line, col, kept_as) = match &e {
                FileError::Parse { error, included, package } => {
                    let (line, col) = error.position().unwrap_or((0, 0));
                    (line, col, included.then(|| package.clone()))
                }
                FileError::Nul { line, col }
                | FileError::MultipleGoBuild { line, col }
                | FileError::BadGoBuild { line, col, .. } => (*line, *col, None),
                FileError::Incomplete => (0, 0, None),
            };
            let msg = match e {
                FileError::Parse { error, .. } => error.to_string(),
                other => other.to_string(),
            };
            FileOutcome::Invalid { error: PackageError::BadFile { file: file.to_path_buf(), line, col, msg }, kept_as }
        }
    }
}

/// [`Loader::dir_files`] without the index.
fn go_dir_files(dir: &Path) -> Option<Vec<String>> {
    let rd = fs::read_dir(dir).ok()?;
    let mut files = Vec::new();
    let mut any_go = false;
    for entry in rd.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        // A symlink that cannot be followed still names a file: reading it
        // reports why, as the go command does.
        let is_file = if ft.is_symlink() {
            fs::metadata(entry.path()).map(|m| m.is_file()).unwrap_or(true)
        } else {
            ft.is_file()
        };
        if !is_file {
            continue;
        }
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        any_go |= name.ends_with(".go");
        files.push(name);
    }
    if !any_go {
        return None;
    }
    files.sort_unstable();
    Some(files)
}

/// A go.mod between a local module's root and `dir` (exclusive of the root)
/// means `dir` belongs to another module.
fn nested_module_between(root: &Path, dir: &Path) -> bool {
    dir.ancestors().take_while(|d| *d != root && d.starts_with(root)).any(|d| d.join("go.mod").is_file())
}

/// The go command's checks of a package's input files (every file go/build
/// lists, whatever its constraints): no two names equal but for case, and
/// none that could pass for a command-line flag.
fn input_file_name_error(files: &[String]) -> Option<PackageError> {
    const SOURCE: &[&str] = &[
        "go", "c", "cc", "cxx", "cpp", "m", "h", "hh", "hpp", "hxx", "f", "F", "for", "f90", "s", "S", "sx", "swig",
        "swigcxx", "syso",
    ];
    let inputs: Vec<&String> = files
        .iter()
        .filter(|f| !f.starts_with(['_', '.']) && f.rsplit_once('.').is_some_and(|(_, ext)| SOURCE.contains(&ext)))
        .collect();
    let mut folded: Vec<(String, &String)> = inputs.iter().map(|f| (f.to_lowercase(), *f)).collect();
    folded.sort();
    if let Some(pair) = folded.windows(2).find(|w| w[0].0 == w[1].0) {
        return Some(PackageError::FileNameCollision { a: pair[0].1.clone(), b: pair[1].1.clone() });
    }
    // cmd/go's SafeArg: an ASCII first byte must be a letter, a digit, '.', '_' or '/'.
    let unsafe_name = |f: &&String| {
        f.bytes().next().is_some_and(|c| c.is_ascii() && !(c.is_ascii_alphanumeric() || b"._/".contains(&c)))
    };
    inputs.into_iter().find(unsafe_name).map(|f| PackageError::InvalidFileName(f.clone()))
}

/// An import's path as written in the importer's files; implicit imports
/// compare equal, so a stable sort keeps them in the order they were added.
fn written_path(import: &Import, importer_standard: bool) -> &str {
    if import.implicit {
        return "";
    }
    let path = import.path.as_str();
    if importer_standard {
        return path.strip_prefix("vendor/").or_else(|| path.strip_prefix("cmd/vendor/")).unwrap_or(path);
    }
    path
}

/// A path whose first element has no dot is in the standard library's namespace.
pub fn is_standard_path(path: &str) -> bool {
    let first = path.split('/').next().unwrap_or(path);
    !first.contains('.')
}

/// "a/b/c" → "a/b/c", "a/b", "a".
fn path_prefixes(path: &str) -> impl Iterator<Item = &str> {
    let mut end = Some(path.len());
    std::iter::from_fn(move || {
        let e = end?;
        let prefix = &path[..e];
        end = prefix.rfind('/');
        Some(prefix)
    })
}

/// The rest of `path` after module path `prefix` ("" for the module root).
pub(crate) fn strip_path_prefix<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix)?;
    if rest.is_empty() { Some(rest) } else { rest.strip_prefix('/') }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        let v: Vec<&str> = path_prefixes("a.com/b/c").collect();
        assert_eq!(v, ["a.com/b/c", "a.com/b", "a.com"]);
    }

    #[test]
    fn std_paths() {
        assert!(is_standard_path("net/http"));
        assert!(is_standard_path("vendor/golang.org/x/net/dns"));
        assert!(!is_standard_path("golang.org/x/net"));
    }

    #[test]
    fn path_prefix_on_element_boundary() {
        assert_eq!(strip_path_prefix("a.com/b/c", "a.com/b"), Some("c"));
        assert_eq!(strip_path_prefix("a.com/b", "a.com/b"), Some(""));
        assert_eq!(strip_path_prefix("a.com/bc", "a.com/b"), None);
    }
}
