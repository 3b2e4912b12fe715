//! The main module(s) and the build list: which module provides an import
//! path, and where its files are.
//!
//! How the build list is made follows the go command (src/cmd/go/internal/
//! modload: init.go `loadModFile`/`requirementsFromModFiles`, load.go
//! `loadFromRoots`, buildlist.go `readModGraph`/`updateRoots`, vendor.go):
//!
//! - vendor mode: go.mod's requirements plus vendor/modules.txt, after
//!   `checkVendorConsistency`; no go.mod of a dependency is read;
//! - a go ≥ 1.17 main module (graph pruning): go.mod's requirements alone,
//!   which a tidy go.mod makes complete. The pruned module graph is only
//!   needed when an import is found in none of them (see
//!   [`Modules::add_graph_modules`]);
//! - a go < 1.17 main module: minimal version selection over the whole
//!   transitive graph, read eagerly as the go command does, and go.mod must
//!   require every module at its selected version;
//! - a workspace: minimal version selection over the workspace graph.
//!
//! The code, by layer:
//!
//! - `build_list`: the main module or workspace, and the build list
//!   [`Modules::discover`] computes for it;
//! - `pruned`: a go ≥ 1.17 main module's pruned module graph, loaded only
//!   when an import or a pattern needs it, and the tidiness checks on the
//!   modules that provide packages;
//! - `vendor`: vendor mode, vendor/modules.txt and its consistency with
//!   go.mod and go.work;
//! - `resolver`: dependencies' go.mod files for minimal version selection,
//!   with replacements and exclusions applied;
//! - `files`: reading go.mod files, module cache locations, lexical paths.

mod build_list;
mod files;
mod pruned;
mod resolver;
mod vendor;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::env::GoEnv;
use crate::error::LoadError;
use crate::mvs::Graph;
use files::{cache_dir, find_upward};
use pruned::PrunedRoots;
use resolver::Resolver;
pub use vendor::Vendor;

/// Index of a module in [`Modules::list`].
pub type ModId = u32;

/// Where a module's replacement points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replacement {
    /// Another module version, from the module cache.
    Module {
        /// Module path.
        path: String,
        /// Version.
        version: String,
    },
    /// A local directory, joined to the directory of the go.mod or go.work
    /// that names it.
    Dir(PathBuf),
}

/// One module of the build list.
#[derive(Clone, Debug)]
pub struct Module {
    /// Module path.
    pub path: String,
    /// The selected version; `None` for main modules.
    pub version: Option<String>,
    /// The replacement in effect for this version, if any.
    pub replace: Option<Replacement>,
    /// A main module (the one of go.mod, or one of go.work's).
    pub main: bool,
    /// Where its files are: the main module's directory, the replacement
    /// directory, or the module cache directory.
    pub dir: PathBuf,
    /// On the user's disk (main module or directory replacement) rather than
    /// in the read-only module cache: nested modules must be checked for.
    pub local: bool,
    /// `go` line of its go.mod, where known.
    pub go_version: Option<String>,
}

/// The modules of one load.
#[derive(Debug)]
pub struct Modules {
    /// Every module, indexed by [`ModId`]: main modules first.
    pub list: Vec<Module>,
    /// Build-list module path → id.
    pub by_path: HashMap<String, ModId>,
    /// The main modules.
    pub main: Vec<ModId>,
    /// Set in vendor mode.
    pub vendor: Option<Vendor>,

    /// The go.work file in use, if any.
    pub workspace: Option<PathBuf>,
    /// A go ≥ 1.17 main module whose build list came from go.mod alone:
    /// what loading its pruned module graph takes, should an import need it.
    pruned: Option<Box<PrunedRoots>>,
    /// Modules the pruned graph added that go.mod does not require.
    graph_only: Vec<ModId>,
}

impl Modules {
    /// Finds the main module (or workspace) for `dir` and computes the build list.
    pub fn discover(dir: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
        if env.go111module == "off" {
            return Err(LoadError::GopathMode);
        }
        let work_file = match env.gowork.as_str() {
            "off" => None,
            "" => find_upward(dir, "go.work"),
            file => Some(PathBuf::from(file)),
        };
        match work_file {
            Some(work) => Modules::from_workspace(&work, env),
            None => {
                let gomod = find_upward(dir, "go.mod").ok_or_else(|| LoadError::NoModule(dir.to_path_buf()))?;
                Modules::from_main_module(&gomod, env)
            }
        }
    }

    fn push(&mut self, m: Module) -> ModId {
        let id = self.list.len() as ModId;
        self.by_path.insert(m.path.clone(), id);
        self.list.push(m);
        id
    }

    /// Adds selected module versions (main module paths are skipped: the
    /// main module always wins), each at its replacement or in the module
    /// cache. Returns the ids added.
    fn add_build_list(
        &mut self,
        list: Vec<(&str, &str)>,
        resolver: &Resolver,
        env: &GoEnv,
        graph: Option<&Graph>,
    ) -> Vec<ModId> {
        let mut added = Vec::new();
        for (path, version) in list {
            if self.by_path.get(path).is_some_and(|&id| self.list[id as usize].main) {
                continue;
            }
            let module = self.module_at(path, version, resolver, env, graph);
            added.push(self.push(module));
        }
        added
    }

    /// A dependency at a version, where its files are.
    fn module_at(&self, path: &str, version: &str, resolver: &Resolver, env: &GoEnv, graph: Option<&Graph>) -> Module {
        let replace = resolver.replacement(path, version).cloned();
        let (dir, local) = match &replace {
            Some(Replacement::Dir(d)) => (d.clone(), true),
            Some(Replacement::Module { path, version }) => (cache_dir(&env.gomodcache, path, version), false),
            None => (cache_dir(&env.gomodcache, path, version), false),
        };
        Module {
            path: path.to_string(),
            version: Some(version.to_string()),
            replace,
            main: false,
            dir,
            local,
            go_version: graph.and_then(|g| g.go_version(path)).map(String::from),
        }
    }
}

/// What the tests of the submodules share: scratch module trees with a
/// module cache, and the fixtures under tests/fixtures/mvs.
#[cfg(test)]
mod test_support {
    use std::collections::HashMap;
    use std::fs;
    use std::path::{Path, PathBuf};

    use super::Modules;
    use super::files::cache_mod_file;
    use crate::env::{EnvOverrides, GoEnv, ModMode};
    use crate::error::LoadError;

    /// A scratch directory with a module cache in it, removed on drop.
    pub(super) struct Tree(pub(super) PathBuf);

    impl Tree {
        pub(super) fn new(name: &str) -> Tree {
            let dir = std::env::temp_dir().join(format!("heft-modules-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("temp dir");
            Tree(dir)
        }

        pub(super) fn write(&self, rel: &str, text: &str) {
            let f = self.0.join(rel);
            fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
            fs::write(f, text).expect("write");
        }

        /// A go.mod in the module cache's download directory.
        pub(super) fn cached(&self, path: &str, version: &str, text: &str) {
            let f = cache_mod_file(&self.0.join("modcache"), path, version);
            fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
            fs::write(f, text).expect("write");
        }

        pub(super) fn env(&self, mod_mode: ModMode) -> GoEnv {
            let vars: HashMap<String, String> = [
                ("GOROOT", "/nonexistent/goroot"),
                ("GOMODCACHE", self.0.join("modcache").to_str().expect("utf-8")),
                ("GOOS", "linux"),
                ("GOARCH", "amd64"),
                ("GOVERSION", "go1.26.8"),
                ("GOWORK", "off"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            let mut env = GoEnv::from_vars(&vars, &EnvOverrides::default()).expect("env");
            env.mod_mode = mod_mode;
            env
        }

        pub(super) fn discover(&self) -> Result<Modules, LoadError> {
            Modules::discover(&self.0, &self.env(ModMode::Default))
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    pub(super) fn version_of<'a>(mods: &'a Modules, path: &str) -> Option<&'a str> {
        mods.by_path.get(path).and_then(|&id| mods.list[id as usize].version.as_deref())
    }

    pub(super) fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/mvs")
            .join(name)
            .canonicalize()
            .expect("fixture")
    }
}
