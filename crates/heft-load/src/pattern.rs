//! Package patterns as the go command reads them: `./...`, `./cmd/x`,
//! import paths, `net/...`, `std`, `cmd`.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{LoadError, PackageError};
use crate::loader::{Loader, strip_path_prefix};

/// One package a pattern named.
pub(crate) struct Match {
    pub path: String,
    /// Found by a `...` or meta pattern (such matches skip packages whose
    /// files are all excluded by build constraints).
    pub wildcard: bool,
    /// A directory pattern that names no package: like the go command,
    /// the pattern itself is listed, with this error.
    pub error: Option<PackageError>,
}

impl Match {
    /// A package named by a pattern without wildcards.
    pub fn named(path: &str) -> Match {
        Match { path: path.to_string(), wildcard: false, error: None }
    }
}

/// The import path the go command gives the package of `.go` files named
/// on the command line.
pub const COMMAND_LINE_ARGUMENTS: &str = "command-line-arguments";

/// Go files named on the command line (`heft main.go`, `heft a.go b.go`),
/// one package of them in their directory.
#[derive(Clone, Debug)]
pub(crate) struct CommandLineFiles {
    pub dir: PathBuf,
    /// As given, in order (the go command keeps that order).
    pub files: Vec<String>,
}

/// The go command's rule: when any argument is an existing file ending in
/// `.go`, every argument is a Go file of one directory.
pub(crate) fn command_line_files(patterns: &[String], cwd: &Path) -> Result<Option<CommandLineFiles>, LoadError> {
    let is_go_file = |p: &String| p.ends_with(".go") && cwd.join(p).is_file();
    if !patterns.iter().any(is_go_file) {
        return Ok(None);
    }
    let err = |pattern: &str, msg: String| LoadError::Pattern { pattern: pattern.to_string(), msg };
    let mut dir: Option<PathBuf> = None;
    let mut files = Vec::new();
    for p in patterns {
        if !p.ends_with(".go") {
            return Err(err(p, format!("named files must be .go files: {p}")));
        }
        let path = cwd.join(p);
        if path.is_dir() {
            return Err(err(p, format!("{p} is a directory, should be a Go file")));
        }
        if !path.is_file() {
            return Err(err(p, format!("stat {}: no such file", path.display())));
        }
        let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let parent = std::path::absolute(&parent).map_err(|source| LoadError::Io { path: parent.clone(), source })?;
        match &dir {
            Some(d) if *d != parent => {
                return Err(err(
                    p,
                    format!("named files must all be in one directory; have {} and {}", d.display(), parent.display()),
                ));
            }
            _ => dir = Some(parent),
        }
        files.push(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    }
    Ok(dir.map(|dir| CommandLineFiles { dir, files }))
}

/// The packages the patterns name, and a warning for each pattern that
/// matched none.
pub(crate) fn expand(patterns: &[String], cwd: &Path, loader: &Loader) -> Result<(Vec<Match>, Vec<String>), LoadError> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let patterns: Vec<String> = if patterns.is_empty() { vec![".".to_string()] } else { patterns.to_vec() };
    for pattern in &patterns {
        let before = out.len();
        expand_one(pattern, cwd, loader, &mut out)?;
        if out.len() == before {
            warnings.push(format!("{pattern:?} matched no packages"));
        }
    }
    Ok((out, warnings))
}

fn expand_one(pattern: &str, cwd: &Path, loader: &Loader, out: &mut Vec<Match>) -> Result<(), LoadError> {
    let err = |msg: String| LoadError::Pattern { pattern: pattern.to_string(), msg };
    if pattern == "all" {
        return Err(err("the `all` pattern is not supported yet; name the main packages (e.g. ./...)".into()));
    }
    if pattern == "cmd" || pattern.starts_with("cmd/") {
        // The go command builds some of cmd with profile-guided optimization,
        // which lists variants ("bytes [cmd/compile]") heft does not model.
        return Err(err("packages of the Go toolchain itself (cmd) are not supported".into()));
    }
    if pattern == "std" {
        let src = loader.env.goroot_src();
        let mut walked = Walked::default();
        walk(&src, b"", false, &mut walked);
        walked.paths.retain(|p| {
            let in_cmd = p == "cmd" || p.starts_with("cmd/");
            !in_cmd && p != "builtin" && (loader.env.cgo_enabled || p != "runtime/cgo")
        });
        out.extend(walked.into_matches());
        return Ok(());
    }
    if is_local(pattern) {
        let (dir_part, wildcard) = match pattern.strip_suffix("/...") {
            Some(d) => (d, true),
            None if pattern == "..." => (".", true),
            None => (pattern, false),
        };
        if dir_part.contains("...") {
            return Err(err("only a trailing /... is supported in directory patterns".into()));
        }
        let dir = normalize(&cwd.join(dir_part));
        let (import_root, nested_ok) = dir_import_path(&dir, loader).ok_or_else(|| {
            err(format!(
                "directory {} is outside the main module{}",
                dir.display(),
                if loader.mods.main.len() > 1 { "s" } else { "" }
            ))
        })?;
        if !nested_ok {
            return Err(err(format!("directory {} is in another module (it has its own go.mod)", dir.display())));
        }
        if wildcard {
            if let Err(e) = fs::metadata(&dir) {
                return Err(err(format!("stat {}: {}", dir.display(), stat_message(&e))));
            }
            let mut walked = Walked::default();
            walk(&dir, import_root.as_bytes(), true, &mut walked);
            out.extend(walked.into_matches());
        } else {
            let error = match fs::metadata(&dir) {
                Err(e) => Some(PackageError::BadDir { dir: dir.clone(), msg: stat_message(&e) }),
                Ok(m) if !m.is_dir() => Some(PackageError::BadDir { dir: dir.clone(), msg: "not a directory".into() }),
                Ok(_) if !has_go_files(&dir) => Some(PackageError::NoGoFiles(dir.clone())),
                Ok(_) => None,
            };
            let path = if error.is_some() { pattern.to_string() } else { import_root };
            out.push(Match { path, wildcard: false, error });
        }
        return Ok(());
    }
    if let Some(prefix) = pattern.strip_suffix("/...") {
        if prefix.contains("...") {
            return Err(err("only a trailing /... is supported in import path patterns".into()));
        }
        let mut walked = Walked::default();
        if crate::is_standard_path(prefix) {
            walk(&loader.env.goroot_src().join(prefix), prefix.as_bytes(), false, &mut walked);
        }
        let mods = loader.mods;
        // Main modules, then the build list (or the vendor directory).
        let modules = mods.main.iter().copied().chain(if mods.vendor.is_some() {
            Vec::new()
        } else {
            (0..mods.list.len() as u32).filter(|id| !mods.list[*id as usize].main).collect()
        });
        for id in modules {
            let m = &mods.list[id as usize];
            if let Some(rest) = strip_path_prefix(prefix, &m.path) {
                walk(&m.dir.join(rest), prefix.as_bytes(), m.local, &mut walked);
            } else if strip_path_prefix(&m.path, prefix).is_some() {
                walk(&m.dir, m.path.as_bytes(), m.local, &mut walked);
            }
        }
        if let Some(vendor) = &mods.vendor {
            walk(&vendor.dir.join(prefix), prefix.as_bytes(), false, &mut walked);
        }
        out.extend(walked.into_matches());
        return Ok(());
    }
    if pattern.contains("...") {
        return Err(err("only a trailing /... is supported".into()));
    }
    out.push(Match { path: pattern.to_string(), wildcard: false, error: None });
    Ok(())
}

pub(crate) fn is_local(pattern: &str) -> bool {
    pattern == "."
        || pattern == ".."
        || pattern.starts_with("./")
        || pattern.starts_with("../")
        || Path::new(pattern).is_absolute()
}

/// The go command's wording for a missing directory.
fn stat_message(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound { "directory not found".to_string() } else { e.to_string() }
}

fn has_go_files(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|rd| rd.flatten().any(|e| e.file_name().to_string_lossy().ends_with(".go")))
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The import path of a directory inside a main module, and whether no
/// nested module (a go.mod between the module root and it) claims it.
fn dir_import_path(dir: &Path, loader: &Loader) -> Option<(String, bool)> {
    let (m, rel) = loader
        .mods
        .main
        .iter()
        .map(|&id| &loader.mods.list[id as usize])
        .filter_map(|m| dir.strip_prefix(&m.dir).ok().map(|rel| (m, rel)))
        .min_by_key(|(_, rel)| rel.components().count())?;
    let nested = dir.ancestors().take_while(|d| *d != m.dir).any(|d| d.join("go.mod").is_file());
    let rel = rel.to_string_lossy().replace('\\', "/");
    let path = if rel.is_empty() { m.path.clone() } else { format!("{}/{rel}", m.path) };
    Some((path, !nested))
}

/// The package directories a walk found: their import paths, and those
/// that are not UTF-8 (directory names that are not), which the go command
/// lists as malformed.
#[derive(Default)]
struct Walked {
    paths: Vec<String>,
    malformed: Vec<Vec<u8>>,
}

impl Walked {
    /// Wildcard matches, sorted, each once; a malformed path carries its error.
    fn into_matches(mut self) -> impl Iterator<Item = Match> {
        self.paths.sort_unstable();
        self.paths.dedup();
        self.malformed.sort_unstable();
        self.malformed.dedup();
        let good = self.paths.into_iter().map(|path| Match { path, wildcard: true, error: None });
        let bad = self.malformed.into_iter().map(|raw| {
            let path = String::from_utf8_lossy(&raw).into_owned();
            let msg = format!("malformed import path {}: invalid UTF-8", heft_gomod::quote(&raw));
            Match { path: path.clone(), wildcard: true, error: Some(PackageError::InvalidPath { path, msg }) }
        });
        good.chain(bad)
    }
}

/// A directory entry's name as bytes (on Unix, whatever the bytes are).
fn name_bytes(name: &std::ffi::OsStr) -> Vec<u8> {
    #[cfg(unix)]
    {
        std::os::unix::ffi::OsStrExt::as_bytes(name).to_vec()
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned().into_bytes()
    }
}

/// Collects the import paths of package directories under `dir` (included),
/// skipping what the go command skips: `.`/`_` directories, testdata,
/// symlinks, the inside of vendor directories and, on the user's disk
/// (`local`), nested modules.
fn walk(dir: &Path, import_path: &[u8], local: bool, out: &mut Walked) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut subdirs = Vec::new();
    let mut has_go = false;
    for entry in rd.flatten() {
        let os_name = entry.file_name();
        let name = name_bytes(&os_name);
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            if !(name.starts_with(b".") || name.starts_with(b"_") || name == b"testdata") {
                subdirs.push((name, os_name));
            }
        } else if ft.is_file() && name.ends_with(b".go") && !name.starts_with(b".") && !name.starts_with(b"_") {
            has_go = true;
        }
    }
    if has_go && !import_path.is_empty() {
        match std::str::from_utf8(import_path) {
            Ok(p) => out.paths.push(p.to_string()),
            Err(_) => out.malformed.push(import_path.to_vec()),
        }
    }
    if import_path.rsplit(|&b| b == b'/').next() == Some(b"vendor") && !import_path.starts_with(b"vendor") {
        return;
    }
    subdirs.sort_unstable();
    for (name, os_name) in subdirs {
        let sub = dir.join(&os_name);
        if local && sub.join("go.mod").is_file() {
            continue;
        }
        let child = if import_path.is_empty() { name } else { [import_path, b"/", &name].concat() };
        walk(&sub, &child, local, out);
    }
}
