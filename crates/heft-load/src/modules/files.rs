//! Files and paths: reading go.mod, where the module cache keeps a module
//! version (and its go.mod), replace directives keyed by path and version,
//! and the lexical path joins the go command's messages use.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use heft_gomod::{ModFile, ReplaceTarget, escape_path, escape_version, parse_go_mod};

use super::Replacement;
use crate::error::LoadError;

pub(super) fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    fs::read(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })
}

pub(super) fn read_mod_file(gomod: &Path) -> Result<ModFile, LoadError> {
    let text = read(gomod)?;
    parse_go_mod(&text).map_err(|e| LoadError::File { file: gomod.to_path_buf(), line: e.line, msg: e.msg })
}

pub(super) fn replace_key(path: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{path}@{v}"),
        None => path.to_string(),
    }
}

pub(super) fn to_replacement(target: &ReplaceTarget, base: &Path) -> Replacement {
    match target {
        ReplaceTarget::Module { path, version } => Replacement::Module { path: path.clone(), version: version.clone() },
        ReplaceTarget::Dir(d) => Replacement::Dir(clean_join(base, d)),
    }
}

/// `filepath.Join`: `base/rel` cleaned lexically ("a/./b/../c" is "a/c"),
/// as the go command reports directories.
pub(super) fn clean_join(base: &Path, rel: impl AsRef<Path>) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in base.join(rel).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                let last = out.components().next_back();
                match last {
                    Some(Component::Normal(_)) => {
                        out.pop();
                    }
                    Some(Component::RootDir | Component::Prefix(_)) => {}
                    _ => out.push(".."),
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

pub(super) fn collect_replaces(file: &ModFile, root: &Path) -> HashMap<String, Replacement> {
    file.replaces
        .iter()
        .map(|r| (replace_key(&r.old_path, r.old_version.as_deref()), to_replacement(&r.new, root)))
        .collect()
}

/// `<GOMODCACHE>/<escaped path>@<escaped version>`. A path or version that
/// cannot be escaped cannot be in the cache either; keep it verbatim so the
/// lookup fails with a "not in the module cache" error naming it.
pub(super) fn cache_dir(gomodcache: &Path, path: &str, version: &str) -> PathBuf {
    let p = escape_path(path).unwrap_or_else(|_| path.to_string());
    let v = escape_version(version).unwrap_or_else(|_| version.to_string());
    gomodcache.join(format!("{p}@{v}"))
}

/// `<GOMODCACHE>/cache/download/<escaped path>/@v/<escaped version>.mod`,
/// where `go mod download` keeps a module version's go.mod.
pub(super) fn cache_mod_file(gomodcache: &Path, path: &str, version: &str) -> PathBuf {
    let p = escape_path(path).unwrap_or_else(|_| path.to_string());
    let v = escape_version(version).unwrap_or_else(|_| version.to_string());
    gomodcache.join("cache/download").join(p).join("@v").join(format!("{v}.mod"))
}

pub(super) fn find_upward(start: &Path, name: &str) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join(name)).find(|f| f.is_file())
}

/// `filepath.Rel(base, target)` for the lexical paths heft builds.
pub(super) fn relative_to(target: &Path, base: &Path) -> PathBuf {
    use std::path::Component;
    let norm = |p: &Path| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    if out.last().is_some_and(|l| l != "..") {
                        out.pop();
                    } else {
                        out.push("..".into());
                    }
                }
                other => out.push(other.as_os_str().to_string_lossy().into_owned()),
            }
        }
        out
    };
    let (t, b) = (norm(target), norm(base));
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for part in &t[common..] {
        rel.push(part);
    }
    if rel.as_os_str().is_empty() {
        rel.push(".");
    }
    rel
}

/// `ToDirectoryPath`: "./x" for a plain relative path, in slashes.
pub(super) fn to_directory_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if heft_gomod::is_directory_path(&s) { s } else { format!("./{s}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_paths_escape_case() {
        let d = cache_dir(Path::new("/m"), "github.com/BurntSushi/toml", "v1.0.0");
        assert_eq!(d, PathBuf::from("/m/github.com/!burnt!sushi/toml@v1.0.0"));
        let f = cache_mod_file(Path::new("/m"), "github.com/BurntSushi/toml", "v1.0.0-RC1");
        assert_eq!(f, PathBuf::from("/m/cache/download/github.com/!burnt!sushi/toml/@v/v1.0.0-!r!c1.mod"));
    }

    #[test]
    fn joins_are_clean() {
        assert_eq!(clean_join(Path::new("/w/./m"), "../deps/f"), PathBuf::from("/w/deps/f"));
        assert_eq!(clean_join(Path::new("/w"), "./b"), PathBuf::from("/w/b"));
        assert_eq!(clean_join(Path::new("/"), "../x"), PathBuf::from("/x"));
        assert_eq!(clean_join(Path::new("rel"), "../../x"), PathBuf::from("../x"));
        assert_eq!(relative_to(Path::new("/w/w2/../deps/f"), Path::new("/w")), PathBuf::from("deps/f"));
        assert_eq!(relative_to(Path::new("/x/y"), Path::new("/w/v")), PathBuf::from("../../x/y"));
        assert_eq!(to_directory_path(Path::new("deps/f")), "./deps/f");
        assert_eq!(to_directory_path(Path::new("../f")), "../f");
    }
}
