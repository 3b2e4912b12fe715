//! Dependencies' go.mod files, as minimal version selection reads them
//! (modload's `goModSummary`): from a replacement directory or the module
//! cache's download directory, with the main modules' replacements and
//! exclusions applied.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use heft_gomod::{ModFile, compare_go_versions, parse_go_mod_lax};

use super::Replacement;
use super::files::{cache_mod_file, replace_key};
use crate::env::GoEnv;
use crate::error::LoadError;
use crate::mvs::{GraphError, Pruning, Summary};

/// Reads go.mod files for the module graph: replacements and exclusions
/// of the main module(s) (or go.work) applied, as modload's
/// `goModSummary` does.
pub(super) struct Resolver {
    replaces: HashMap<String, Replacement>,
    /// "path@version" of every excluded version.
    excludes: HashSet<String>,
    gomodcache: PathBuf,
    /// The installed toolchain's version, "1.26.8".
    running: String,
    /// Workspace main modules' own requirements.
    pub(super) mains: HashMap<String, Summary>,
}

/// Why a go.mod of the graph could not be used.
pub(super) enum ModError {
    NotInCache { file: PathBuf, fetch: String },
    Other(String),
}

impl Resolver {
    pub(super) fn new(replaces: HashMap<String, Replacement>, files: &[&ModFile], env: &GoEnv) -> Resolver {
        let excludes = files.iter().flat_map(|f| &f.excludes).map(|x| replace_key(&x.path, Some(&x.version))).collect();
        Resolver {
            replaces,
            excludes,
            gomodcache: env.gomodcache.clone(),
            running: env.go_version.trim_start_matches("go").to_string(),
            mains: HashMap::new(),
        }
    }

    pub(super) fn excluded(&self, path: &str, version: &str) -> bool {
        !self.excludes.is_empty() && self.excludes.contains(&replace_key(path, Some(version)))
    }

    /// A version-specific replacement beats one for all versions.
    pub(super) fn replacement(&self, path: &str, version: &str) -> Option<&Replacement> {
        if self.replaces.is_empty() {
            return None;
        }
        self.replaces.get(&replace_key(path, Some(version))).or_else(|| self.replaces.get(path))
    }

    /// `summaryFromModFile`, less the requirements on excluded versions.
    pub(super) fn summary_of(&self, f: &ModFile) -> Summary {
        let mut requires: Vec<(String, String)> = f
            .requires
            .iter()
            .filter(|r| !self.excluded(&r.path, &r.version))
            .map(|r| (r.path.clone(), r.version.clone()))
            .collect();
        if let Some(go) = f.go.as_deref().filter(|v| compare_go_versions(v, "1.21").is_ge()) {
            requires.push(("go".to_string(), go.to_string()));
        }
        Summary { requires, pruning: Pruning::for_go_version(f.go.as_deref()), go_version: f.go.clone() }
    }

    /// `goModSummary`: the go.mod of `path@version`, from its replacement
    /// directory or from the module cache's download directory.
    pub(super) fn summary(&self, path: &str, version: &str) -> Result<Summary, ModError> {
        if version.is_empty() {
            return self.mains.get(path).cloned().ok_or_else(|| ModError::Other("not a main module".into()));
        }
        let (file, actual) = match self.replacement(path, version) {
            Some(Replacement::Dir(d)) => (d.join("go.mod"), None),
            Some(Replacement::Module { path, version }) => {
                (cache_mod_file(&self.gomodcache, path, version), Some((path.as_str(), version.as_str())))
            }
            None => (cache_mod_file(&self.gomodcache, path, version), Some((path, version))),
        };
        let data = match fs::read(&file) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && actual.is_some() => {
                let (p, v) = actual.expect("checked");
                return Err(ModError::NotInCache { file, fetch: format!("{p}@{v}") });
            }
            Err(e) => return Err(ModError::Other(format!("reading {}: {e}", file.display()))),
        };
        let f = parse_go_mod_lax(&data)
            .map_err(|e| ModError::Other(format!("parsing {}:{}: {}", file.display(), e.line, e.msg)))?;
        if let Some((actual_path, _)) = actual {
            // A directory replacement may declare any path; a module from
            // the cache must be the one required (or its replacement).
            match f.module.as_deref() {
                None | Some("") => return Err(ModError::Other("parsing go.mod: missing module line".into())),
                Some(m) if m != path && m != actual_path => {
                    return Err(ModError::Other(format!(
                        "parsing go.mod:\n\tmodule declares its path as: {m}\n\t        but was required as: {path}"
                    )));
                }
                Some(_) => {}
            }
        }
        let summary = self.summary_of(&f);
        if let Some(go) = f.go.as_deref()
            && compare_go_versions(go, "1.21").is_ge()
            && !self.running.is_empty()
            && compare_go_versions(go, &self.running).is_gt()
        {
            return Err(ModError::Other(format!("requires go >= {go} (running go {})", self.running)));
        }
        Ok(summary)
    }

    /// The go command's `BuildListError`: the requirement path, then what
    /// went wrong with its last module.
    pub(super) fn graph_error(&self, e: GraphError<ModError>) -> LoadError {
        let mut chain = String::new();
        for (p, v) in &e.path[..e.path.len().saturating_sub(1)] {
            chain.push_str(&format!("{p}@{v} requires\n\t"));
        }
        let (path, version) = e.path.last().cloned().unwrap_or_default();
        let module = match self.replacement(&path, &version) {
            Some(Replacement::Dir(d)) => format!("{path}@{version} (replaced by {})", d.display()),
            Some(Replacement::Module { path: p, version: v }) => format!("{path}@{version} (replaced by {p}@{v})"),
            None => format!("{path}@{version}"),
        };
        match e.error {
            ModError::NotInCache { file, fetch } => LoadError::ModNotInCache { chain, module, fetch, file },
            ModError::Other(msg) => LoadError::ModGraph { chain, module, msg },
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::LoadError;
    use crate::modules::test_support::Tree;

    #[test]
    fn a_missing_go_mod_names_the_module_and_go_mod_download() {
        let t = Tree::new("missing");
        t.write("go.mod", "module example.com/m\n\ngo 1.16\n\nrequire example.org/x v1.0.0\n");
        t.cached("example.org/x", "v1.0.0", "module example.org/x\n\nrequire example.org/y v1.1.0\n");
        let e = t.discover().expect_err("y's go.mod is missing");
        let msg = e.to_string();
        assert!(matches!(e, LoadError::ModNotInCache { .. }), "{e:?}");
        assert!(msg.starts_with("example.org/x@v1.0.0 requires\n\texample.org/y@v1.1.0: "), "{msg}");
        assert!(msg.contains("run `go mod download example.org/y@v1.1.0`"), "{msg}");
        assert!(msg.contains("cache/download/example.org/y/@v/v1.1.0.mod"), "{msg}");
    }

    #[test]
    fn a_cached_go_mod_must_declare_its_path() {
        let t = Tree::new("wrongpath");
        t.write("go.mod", "module example.com/m\n\nrequire example.org/x v1.0.0\n");
        t.cached("example.org/x", "v1.0.0", "module example.org/other\n");
        let msg = t.discover().expect_err("wrong path").to_string();
        assert!(msg.contains("module declares its path as: example.org/other"), "{msg}");
        t.cached("example.org/x", "v1.0.0", "go 1.16\n");
        let msg = t.discover().expect_err("no module line").to_string();
        assert!(msg.contains("missing module line"), "{msg}");
        t.cached("example.org/x", "v1.0.0", "module example.org/x\n\ngo 1.99\n");
        let msg = t.discover().expect_err("too new").to_string();
        assert!(msg.contains("example.org/x@v1.0.0: requires go >= 1.99 (running go 1.26.8)"), "{msg}");
    }
}
