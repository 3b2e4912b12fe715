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

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use heft_gomod::{
    ModFile, ModulesTxt, Replace, ReplaceTarget, WorkFile, compare_go_versions, compare_versions, escape_path,
    escape_version, parse_go_mod, parse_go_mod_lax, parse_go_work, parse_modules_txt,
};
use rayon::prelude::*;

use crate::env::{GoEnv, ModMode};
use crate::error::LoadError;
use crate::mvs::{Graph, GraphError, Pruning, Summary, mod_sort};
use crate::{Package, PkgId};

/// Index of a module in [`Modules::list`].
pub type ModId = u32;

/// Where a module's replacement points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replacement {
    Module { path: String, version: String },
    Dir(PathBuf),
}

/// One module of the build list.
#[derive(Clone, Debug)]
pub struct Module {
    pub path: String,
    /// The selected version; `None` for main modules.
    pub version: Option<String>,
    pub replace: Option<Replacement>,
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

/// Vendor mode: packages come from `<main>/vendor`.
#[derive(Debug)]
pub struct Vendor {
    pub dir: PathBuf,
    /// Package path → the vendored module that provides it.
    pub packages: HashMap<String, ModId>,
    /// Since go 1.23 a vendored package must be listed in modules.txt.
    pub require_listed: bool,
}

/// The modules of one load.
#[derive(Debug)]
pub struct Modules {
    pub list: Vec<Module>,
    /// Build-list module path → id.
    pub by_path: HashMap<String, ModId>,
    pub main: Vec<ModId>,
    pub vendor: Option<Vendor>,
    /// The go.work file in use, if any.
    pub workspace: Option<PathBuf>,
    /// A go ≥ 1.17 main module whose build list came from go.mod alone:
    /// what loading its pruned module graph takes, should an import need it.
    pruned: Option<Box<PrunedRoots>>,
    /// Modules the pruned graph added that go.mod does not require.
    graph_only: Vec<ModId>,
}

/// The go command's `modload.Requirements` of a pruned main module.
struct PrunedRoots {
    gomod: PathBuf,
    main: String,
    /// go.mod's requirements (exclusions dropped) and `("go", version)`.
    roots: Vec<(String, String)>,
    resolver: Resolver,
    /// The graph, once loaded.
    graph: Option<Graph>,
}

impl std::fmt::Debug for PrunedRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrunedRoots").field("main", &self.main).field("loaded", &self.graph.is_some()).finish()
    }
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

    fn from_main_module(gomod: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
        let root = gomod.parent().unwrap_or(Path::new(".")).to_path_buf();
        let file = read_mod_file(gomod)?;
        let mut mods = Modules::empty(None);
        let main = mods.add_main(&file, &root, gomod, env)?;
        let main_path = mods.list[main as usize].path.clone();
        let resolver = Resolver::new(collect_replaces(&file, &root), &[&file], env);
        // rootsFromModFile: go.mod's requirements, less excluded versions,
        // and the go version (go 1.16 when there is no go line).
        let mut roots: Vec<(String, String)> = file
            .requires
            .iter()
            .filter(|r| !resolver.excluded(&r.path, &r.version))
            .map(|r| (r.path.clone(), r.version.clone()))
            .collect();
        let go = file.go.clone().unwrap_or_else(|| "1.16".to_string());

        // setDefaultBuildMod: vendor mode by default from go 1.14 on (an
        // explicit go line is needed), unless modules.txt is a workspace's.
        let vendor_dir = root.join("vendor");
        let vendor_mode = match env.mod_mode {
            ModMode::Vendor => true,
            ModMode::Default => {
                file.go.as_deref().is_some_and(|v| compare_go_versions(v, "1.14").is_ge())
                    && vendor_dir.is_dir()
                    && !read_modules_txt(&vendor_dir)?.is_some_and(|(t, _)| is_workspace_modules_txt(&t))
            }
            ModMode::Readonly | ModMode::Mod => false,
        };
        let pruning = Pruning::for_go_version(file.go.as_deref());
        if vendor_mode {
            let pre114 = file.go.as_deref().is_none_or(|v| compare_go_versions(v, "1.14").is_lt());
            let txt = load_modules_txt(&vendor_dir, env)?;
            let mains = [MainFile { file: &file, root: &root, gomod }];
            check_vendor_consistency(&vendor_dir, &txt, &mains, None, pre114)?;
            if pruning == Pruning::Pruned {
                check_vendored_modules_required(gomod, &txt, &roots)?;
            }
            mods.add_build_list(max_per_path(&roots), &resolver, env, None);
            mods.vendor = Some(mods.read_vendor(&vendor_dir, txt, go_at_least(&file, "1.23")));
            return Ok(mods);
        }
        if pruning == Pruning::Pruned {
            check_duplicate_roots(gomod, &roots)?;
            if env.mod_mode != ModMode::Mod {
                check_excluded_requirements(gomod, &file, &resolver)?;
            }
            mods.add_build_list(max_per_path(&roots), &resolver, env, None);
            roots.push(("go".to_string(), go));
            mod_sort(&mut roots);
            mods.pruned = Some(Box::new(PrunedRoots {
                gomod: gomod.to_path_buf(),
                main: main_path,
                roots,
                resolver,
                graph: None,
            }));
            return Ok(mods);
        }
        roots.push(("go".to_string(), go));
        mod_sort(&mut roots);
        let (graph, errors) = Graph::load_single(&main_path, &roots, Pruning::Unpruned, |p, v| resolver.summary(p, v));
        if let Some(e) = graph.first_error(errors) {
            return Err(resolver.graph_error(e));
        }
        if env.mod_mode != ModMode::Mod {
            check_roots_selected(gomod, &graph, &roots)?;
            check_excluded_requirements(gomod, &file, &resolver)?;
        }
        mods.add_build_list(graph.build_list(), &resolver, env, Some(&graph));
        Ok(mods)
    }

    fn from_workspace(work: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
        let text = read(work)?;
        let wf =
            parse_go_work(&text).map_err(|e| LoadError::File { file: work.to_path_buf(), line: e.line, msg: e.msg })?;
        if env.mod_mode == ModMode::Mod {
            return Err(LoadError::GoEnv(
                "-mod may only be set to readonly or vendor when in workspace mode, but it is set to \"mod\"\n\t\
                 Remove the -mod flag to use the default readonly value, \n\tor set GOWORK=off to disable workspace mode."
                    .into(),
            ));
        }
        check_go_version(work, wf.go.as_deref(), env)?;
        let work_dir = work.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut mods = Modules::empty(Some(work.to_path_buf()));
        let mut files = Vec::new();
        let mut roots_seen: Vec<PathBuf> = Vec::new();
        for u in &wf.uses {
            let root = clean_join(&work_dir, &u.dir);
            if roots_seen.contains(&root) {
                let msg = format!("path {} appears multiple times in workspace", root.display());
                return Err(LoadError::File { file: work.to_path_buf(), line: u.line, msg });
            }
            roots_seen.push(root.clone());
            let gomod = root.join("go.mod");
            let file = read_mod_file(&gomod).map_err(|e| match e {
                LoadError::Io { .. } => LoadError::File {
                    file: work.to_path_buf(),
                    line: u.line,
                    msg: format!("cannot load module {} listed in go.work: {} does not exist", u.dir, gomod.display()),
                },
                other => other,
            })?;
            // The same module twice: two directories, or one directory
            // reached through a symbolic link.
            if let Some(path) = &file.module
                && mods.by_path.contains_key(path)
            {
                return Err(LoadError::GoEnv(format!("module {path} appears multiple times in workspace")));
            }
            let id = mods.add_main(&file, &root, &gomod, env)?;
            files.push((file, id, root, gomod));
        }
        // Replacements in go.work win over those of the modules.
        let mut replaces = HashMap::new();
        for (file, _, root, _) in &files {
            replaces.extend(collect_replaces(file, root));
        }
        for r in &wf.replaces {
            replaces.insert(replace_key(&r.old_path, r.old_version.as_deref()), to_replacement(&r.new, &work_dir));
        }
        let mod_files: Vec<&ModFile> = files.iter().map(|(f, ..)| f).collect();
        let mut resolver = Resolver::new(replaces, &mod_files, env);

        let vendor_dir = work_dir.join("vendor");
        let vendor_mode = match env.mod_mode {
            ModMode::Vendor => true,
            ModMode::Default => {
                wf.go.as_deref().is_some_and(|v| compare_go_versions(v, "1.14").is_ge())
                    && vendor_dir.is_dir()
                    && read_modules_txt(&vendor_dir)?.is_some_and(|(t, _)| is_workspace_modules_txt(&t))
            }
            ModMode::Readonly | ModMode::Mod => false,
        };
        if vendor_mode {
            let txt = load_modules_txt(&vendor_dir, env)?;
            let mains: Vec<MainFile> =
                files.iter().map(|(file, _, root, gomod)| MainFile { file, root, gomod }).collect();
            check_vendor_consistency(&vendor_dir, &txt, &mains, Some((&wf, work)), false)?;
            let mut roots = Vec::new();
            for (file, ..) in &files {
                roots.extend(
                    file.requires
                        .iter()
                        .filter(|r| !resolver.excluded(&r.path, &r.version))
                        .map(|r| (r.path.clone(), r.version.clone())),
                );
            }
            mods.add_build_list(max_per_path(&roots), &resolver, env, None);
            let require_listed = wf.go.as_deref().is_some_and(|v| compare_go_versions(v, "1.23").is_ge());
            mods.vendor = Some(mods.read_vendor(&vendor_dir, txt, require_listed));
            return Ok(mods);
        }

        for (file, id, ..) in &files {
            let summary = resolver.summary_of(file);
            resolver.mains.insert(mods.list[*id as usize].path.clone(), summary);
        }
        let mut main_paths: Vec<String> = mods.main.iter().map(|&id| mods.list[id as usize].path.clone()).collect();
        main_paths.sort();
        let (graph, errors) = Graph::load_workspace(&main_paths, |p, v| resolver.summary(p, v));
        if let Some(e) = graph.first_error(errors) {
            return Err(resolver.graph_error(e));
        }
        mods.add_build_list(graph.build_list(), &resolver, env, Some(&graph));
        Ok(mods)
    }

    fn empty(workspace: Option<PathBuf>) -> Modules {
        Modules {
            list: Vec::new(),
            by_path: HashMap::new(),
            main: Vec::new(),
            vendor: None,
            workspace,
            pruned: None,
            graph_only: Vec::new(),
        }
    }

    fn add_main(&mut self, file: &ModFile, root: &Path, gomod: &Path, env: &GoEnv) -> Result<ModId, LoadError> {
        let path = file.module.clone().ok_or_else(|| LoadError::File {
            file: gomod.to_path_buf(),
            line: 1,
            msg: "missing module declaration".into(),
        })?;
        if let Err(e) = heft_gomod::check_main_module_path(&path) {
            return Err(LoadError::File { file: gomod.to_path_buf(), line: file.module_line, msg: e.to_string() });
        }
        check_go_version(gomod, file.go.as_deref(), env)?;
        let id = self.push(Module {
            path,
            version: None,
            replace: None,
            main: true,
            dir: root.to_path_buf(),
            local: true,
            go_version: file.go.clone(),
        });
        self.main.push(id);
        Ok(id)
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

    /// Whether this is a go ≥ 1.17 main module whose build list came from
    /// go.mod alone, so that imports found in none of its modules may
    /// still be in its pruned module graph ([`Modules::add_graph_modules`]).
    pub fn graph_pending(&self) -> bool {
        self.pruned.is_some()
    }

    /// Loads the pruned module graph of a go ≥ 1.17 main module (go.mod's
    /// requirements and, for each, its own go.mod's requirements; the
    /// whole closure below go < 1.17 modules) and adds modules it selects
    /// that go.mod does not require. The go command does this
    ///
    /// - in `importFromModules`, when an import path is in none of the
    ///   modules go.mod requires: it looks again among the graph's
    ///   selected versions. Pass those paths as `Some(unresolved)`: only
    ///   modules that could provide one of them are added;
    /// - in `listRoots`, for a `...` pattern outside the main modules,
    ///   which it matches against the graph's whole build list: pass None.
    ///
    /// Returns the modules added (load again when there are some). Fails
    /// as the go command does when the graph cannot be read, or when it
    /// selects another version of something go.mod requires (go.mod is not
    /// tidy: "updates to go.mod needed"). Without a pending graph (see
    /// [`Modules::graph_pending`]) it does nothing.
    pub fn add_graph_modules(&mut self, env: &GoEnv, unresolved: Option<&[&str]>) -> Result<Vec<ModId>, LoadError> {
        let Some(mut pruned) = self.pruned.take() else {
            return Ok(Vec::new());
        };
        let result = self.add_graph_modules_from(&mut pruned, env, unresolved);
        self.pruned = Some(pruned);
        result
    }

    /// The go command's spot check of a go ≥ 1.17 main module
    /// (`spotCheckRoots`): the go.mod of each module that provides a loaded
    /// package must not require a higher version of a module than go.mod
    /// does. When one does, go.mod is not tidy: an error ("updates to
    /// go.mod needed"), or with `-mod=mod` the versions the module graph
    /// selects; true when those changed the build list (load again).
    pub fn check_providers(&mut self, providers: &[ModId], env: &GoEnv) -> Result<bool, LoadError> {
        let Some(mut pruned) = self.pruned.take() else {
            return Ok(false);
        };
        let result = self.check_providers_in(&mut pruned, providers, env);
        self.pruned = Some(pruned);
        result
    }

    fn check_providers_in(
        &mut self,
        pruned: &mut PrunedRoots,
        providers: &[ModId],
        env: &GoEnv,
    ) -> Result<bool, LoadError> {
        if pruned.graph.is_some() {
            // Loaded: its roots were checked then, or upgraded with -mod=mod.
            return Ok(false);
        }
        let required: HashMap<&str, &str> = pruned.roots.iter().map(|(p, v)| (p.as_str(), v.as_str())).collect();
        let resolver = &pruned.resolver;
        // Hundreds of small go.mod files on a large program: read in parallel.
        let untidy = providers.par_iter().find_map_first(|&id| {
            let m = &self.list[id as usize];
            let version = m.version.as_deref().filter(|_| !m.main)?;
            // A go.mod that cannot be read is reported by the package load.
            let summary = resolver.summary(&m.path, version).ok()?;
            summary.requires.iter().filter(|(p, _)| p != "go").find_map(|(path, wants)| {
                let has = required.get(path.as_str())?;
                compare_versions(has, wants)
                    .is_lt()
                    .then(|| format!("{}@{version} requires {path}@{wants}, but go.mod requires {has}", m.path))
            })
        });
        let Some(reason) = untidy else { return Ok(false) };
        if env.mod_mode != ModMode::Mod {
            return Err(LoadError::GoModDirty { file: pruned.gomod.clone(), reason });
        }
        Self::load_pruned_graph(pruned, env)?;
        let graph = pruned.graph.as_ref().expect("graph loaded above");
        let mut changed = false;
        for id in 0..self.list.len() {
            let m = &self.list[id];
            let Some(version) = m.version.as_deref().filter(|_| !m.main) else { continue };
            if let Some(selected) = graph.selected(&m.path).filter(|s| !s.is_empty() && *s != version) {
                let (path, selected) = (m.path.clone(), selected.to_string());
                let upgraded = self.module_at(&path, &selected, &pruned.resolver, env, Some(graph));
                self.list[id] = upgraded;
                changed = true;
            }
        }
        Ok(changed)
    }

    /// The pruned module graph, loaded once; without `-mod=mod` every root
    /// must be at its selected version (updatePrunedRoots).
    fn load_pruned_graph(pruned: &mut PrunedRoots, env: &GoEnv) -> Result<(), LoadError> {
        if pruned.graph.is_none() {
            let resolver = &pruned.resolver;
            let (graph, errors) =
                Graph::load_single(&pruned.main, &pruned.roots, Pruning::Pruned, |p, v| resolver.summary(p, v));
            if let Some(e) = graph.first_error(errors) {
                return Err(resolver.graph_error(e));
            }
            if env.mod_mode != ModMode::Mod {
                check_roots_selected(&pruned.gomod, &graph, &pruned.roots)?;
            }
            pruned.graph = Some(graph);
        }
        Ok(())
    }

    fn add_graph_modules_from(
        &mut self,
        pruned: &mut PrunedRoots,
        env: &GoEnv,
        unresolved: Option<&[&str]>,
    ) -> Result<Vec<ModId>, LoadError> {
        Self::load_pruned_graph(pruned, env)?;
        let graph = pruned.graph.as_ref().expect("graph loaded above");
        let mut wanted: Vec<(&str, &str)> = Vec::new();
        match unresolved {
            None => wanted = graph.build_list().into_iter().filter(|(p, _)| !self.by_path.contains_key(*p)).collect(),
            Some(paths) => {
                for path in paths {
                    let mut prefix = *path;
                    loop {
                        if !self.by_path.contains_key(prefix)
                            && !wanted.iter().any(|(p, _)| *p == prefix)
                            && let Some(v) = graph.selected(prefix).filter(|v| !v.is_empty() && !is_toolchain(prefix))
                        {
                            wanted.push((prefix, v));
                        }
                        match prefix.rfind('/') {
                            Some(i) => prefix = &prefix[..i],
                            None => break,
                        }
                    }
                }
            }
        }
        wanted.sort_unstable();
        let added = self.add_build_list(wanted, &pruned.resolver, env, Some(graph));
        self.graph_only.extend(&added);
        Ok(added)
    }

    /// After a load that used [`Modules::add_graph_modules`]: the go
    /// command's `updatePrunedRoots` with `-mod=readonly`. A package the
    /// patterns named, or one the main modules import (directly or not),
    /// must come from a module go.mod requires; otherwise go.mod needs
    /// `go mod tidy`. Packages only dependencies import may come from the
    /// graph.
    pub fn check_graph_modules(&self, packages: &[Package], roots: &[PkgId]) -> Result<(), LoadError> {
        if self.graph_only.is_empty() {
            return Ok(());
        }
        let Some(pruned) = &self.pruned else { return Ok(()) };
        let is_main = |p: &Package| p.module.is_some_and(|m| self.list[m as usize].main);
        let mut in_all = vec![false; packages.len()];
        let mut stack: Vec<usize> = (0..packages.len()).filter(|&i| is_main(&packages[i])).collect();
        for &i in &stack {
            in_all[i] = true;
        }
        while let Some(i) = stack.pop() {
            for imp in &packages[i].imports {
                let t = imp.target as usize;
                if !in_all[t] {
                    in_all[t] = true;
                    stack.push(t);
                }
            }
        }
        let relevant = (0..packages.len()).filter(|&i| in_all[i] || roots.contains(&(i as PkgId)));
        for i in relevant {
            let p = &packages[i];
            if let Some(m) = p.module.filter(|m| self.graph_only.contains(m)) {
                let m = &self.list[m as usize];
                return Err(LoadError::GoModDirty {
                    file: pruned.gomod.clone(),
                    reason: format!(
                        "package {} is provided by {}@{}, which go.mod does not require",
                        p.path,
                        m.path,
                        m.version.as_deref().unwrap_or("")
                    ),
                });
            }
        }
        Ok(())
    }

    fn read_vendor(&mut self, dir: &Path, txt: ModulesTxt, require_listed: bool) -> Vendor {
        let mut packages = HashMap::new();
        for vm in txt.modules {
            let id = match self.by_path.get(&vm.path) {
                Some(&id) => id,
                None => self.push(Module {
                    path: vm.path.clone(),
                    version: Some(vm.version.clone()).filter(|v| !v.is_empty()),
                    replace: None,
                    main: false,
                    dir: dir.join(&vm.path),
                    local: false,
                    go_version: vm.go_version.clone(),
                }),
            };
            for p in vm.packages {
                packages.insert(p, id);
            }
        }
        Vendor { dir: dir.to_path_buf(), packages, require_listed }
    }
}

/// Reads go.mod files for the module graph: replacements and exclusions
/// of the main module(s) (or go.work) applied, as modload's
/// `goModSummary` does.
struct Resolver {
    replaces: HashMap<String, Replacement>,
    /// "path@version" of every excluded version.
    excludes: HashSet<String>,
    gomodcache: PathBuf,
    /// The installed toolchain's version, "1.26.8".
    running: String,
    /// Workspace main modules' own requirements.
    mains: HashMap<String, Summary>,
}

/// Why a go.mod of the graph could not be used.
enum ModError {
    NotInCache { file: PathBuf, fetch: String },
    Other(String),
}

impl Resolver {
    fn new(replaces: HashMap<String, Replacement>, files: &[&ModFile], env: &GoEnv) -> Resolver {
        let excludes = files.iter().flat_map(|f| &f.excludes).map(|x| replace_key(&x.path, Some(&x.version))).collect();
        Resolver {
            replaces,
            excludes,
            gomodcache: env.gomodcache.clone(),
            running: env.go_version.trim_start_matches("go").to_string(),
            mains: HashMap::new(),
        }
    }

    fn excluded(&self, path: &str, version: &str) -> bool {
        !self.excludes.is_empty() && self.excludes.contains(&replace_key(path, Some(version)))
    }

    /// A version-specific replacement beats one for all versions.
    fn replacement(&self, path: &str, version: &str) -> Option<&Replacement> {
        if self.replaces.is_empty() {
            return None;
        }
        self.replaces.get(&replace_key(path, Some(version))).or_else(|| self.replaces.get(path))
    }

    /// `summaryFromModFile`, less the requirements on excluded versions.
    fn summary_of(&self, f: &ModFile) -> Summary {
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
    fn summary(&self, path: &str, version: &str) -> Result<Summary, ModError> {
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
    fn graph_error(&self, e: GraphError<ModError>) -> LoadError {
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

/// `gover.IsToolchain`.
fn is_toolchain(path: &str) -> bool {
    path == "go" || path == "toolchain"
}

/// For each path, the highest version required (`Requirements.rootSelected`).
fn max_per_path(roots: &[(String, String)]) -> Vec<(&str, &str)> {
    let mut selected: HashMap<&str, &str> = HashMap::new();
    for (path, version) in roots {
        selected
            .entry(path)
            .and_modify(|v| {
                if compare_versions(version, v).is_gt() {
                    *v = version;
                }
            })
            .or_insert(version);
    }
    let mut list: Vec<(&str, &str)> = selected.into_iter().collect();
    list.sort_unstable();
    list
}

/// Two requirements of one module at different versions: the go command
/// drops the lower one, which is a change to go.mod (updatePrunedRoots).
fn check_duplicate_roots(gomod: &Path, roots: &[(String, String)]) -> Result<(), LoadError> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for (path, version) in roots {
        if let Some(other) = seen.insert(path, version)
            && other != version
        {
            return Err(LoadError::GoModDirty {
                file: gomod.to_path_buf(),
                reason: format!("{path} is required at both {other} and {version}"),
            });
        }
    }
    Ok(())
}

/// A requirement on a version go.mod itself excludes is dropped, which
/// changes go.mod (`commitRequirements` finds it dirty).
fn check_excluded_requirements(gomod: &Path, file: &ModFile, resolver: &Resolver) -> Result<(), LoadError> {
    match file.requires.iter().find(|r| resolver.excluded(&r.path, &r.version)) {
        Some(r) => Err(LoadError::GoModDirty {
            file: gomod.to_path_buf(),
            reason: format!("go.mod requires {}@{}, which it excludes", r.path, r.version),
        }),
        None => Ok(()),
    }
}

/// With the module graph loaded and go.mod not to be written
/// (`mustHaveCompleteRequirements`), each of go.mod's requirements (and
/// its go line) must be the version selected (updateUnprunedRoots,
/// updatePrunedRoots).
fn check_roots_selected(gomod: &Path, graph: &Graph, roots: &[(String, String)]) -> Result<(), LoadError> {
    for (path, version) in roots {
        let Some(selected) = graph.selected(path) else { continue };
        if selected == version {
            continue;
        }
        let reason = if path == "go" {
            format!("a dependency requires go >= {selected}, but go.mod says go {version}")
        } else if selected.is_empty() {
            format!("go.mod requires {path}@{version}, which is a main module")
        } else {
            format!("minimal version selection picks {path}@{selected}, but go.mod requires {version}")
        };
        return Err(LoadError::GoModDirty { file: gomod.to_path_buf(), reason });
    }
    Ok(())
}

/// A main module's go.mod, for the vendor consistency check.
struct MainFile<'a> {
    file: &'a ModFile,
    root: &'a Path,
    gomod: &'a Path,
}

/// vendor/modules.txt's bytes and path; None when there is none.
fn read_modules_txt(vendor_dir: &Path) -> Result<Option<(Vec<u8>, PathBuf)>, LoadError> {
    let file = vendor_dir.join("modules.txt");
    match fs::read(&file) {
        Ok(t) => Ok(Some((t, file))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LoadError::Io { path: file, source }),
    }
}

/// `modulesTextIsForWorkspace`: the first line carries `## workspace`.
fn is_workspace_modules_txt(text: &[u8]) -> bool {
    let first = text.split(|&b| b == b'\n').next().unwrap_or(b"");
    let first = String::from_utf8_lossy(&first[..first.len().min(512)]).into_owned();
    first.strip_prefix("## ").is_some_and(|a| a.split(';').any(|e| e.trim() == "workspace"))
}

/// `readVendorList`: modules.txt (none is an empty list); a module whose
/// `## go` annotation is newer than the toolchain is fatal.
fn load_modules_txt(vendor_dir: &Path, env: &GoEnv) -> Result<ModulesTxt, LoadError> {
    let Some((text, file)) = read_modules_txt(vendor_dir)? else {
        return Ok(ModulesTxt::default());
    };
    let txt = parse_modules_txt(&text).map_err(|e| LoadError::File { file: file.clone(), line: e.line, msg: e.msg })?;
    let running = env.go_version.trim_start_matches("go");
    for m in &txt.modules {
        if let Some(go) = m.go_version.as_deref()
            && !running.is_empty()
            && compare_go_versions(go, running).is_gt()
        {
            return Err(LoadError::File {
                file: file.clone(),
                line: m.line,
                msg: format!("{} requires go >= {go} (running go {running})", m.path),
            });
        }
    }
    Ok(txt)
}

/// `checkVendorConsistency` (src/cmd/go/internal/modload/vendor.go):
/// go.mod's requirements and replacements must be what modules.txt
/// records, in both directions. Details come in the go command's order
/// and wording.
fn check_vendor_consistency(
    vendor_dir: &Path,
    txt: &ModulesTxt,
    mains: &[MainFile],
    work: Option<(&WorkFile, &Path)>,
    pre114: bool,
) -> Result<(), LoadError> {
    let base = vendor_dir.parent().unwrap_or(Path::new("."));
    let meta = |path: &str, version: &str| txt.modules.iter().find(|m| m.path == path && m.version == version);
    // vendorList and vendorVersion: modules that provide packages, the
    // highest version of each path.
    let mut vendor_version: HashMap<&str, &str> = HashMap::new();
    let mut vendor_list: Vec<(&str, &str)> = Vec::new();
    for m in txt.modules.iter().filter(|m| m.provides_packages()) {
        let newer = vendor_version.get(m.path.as_str()).is_none_or(|v| compare_versions(v, &m.version).is_lt());
        if newer {
            vendor_version.insert(&m.path, &m.version);
            vendor_list.push((&m.path, &m.version));
        }
    }
    let mut details = String::new();
    let mut err = |path: &str, version: &str, detail: String| {
        if version.is_empty() {
            details.push_str(&format!("\n\t{path}: {detail}"));
        } else {
            details.push_str(&format!("\n\t{path}@{version}: {detail}"));
        }
    };

    for main in mains {
        for r in &main.file.requires {
            if meta(&r.path, &r.version).is_some_and(|m| m.explicit) {
                continue;
            }
            if pre114 {
                if let Some(vv) = vendor_version.get(r.path.as_str()).filter(|vv| **vv != r.version) {
                    err(
                        &r.path,
                        &r.version,
                        format!("is explicitly required in go.mod, but vendor/modules.txt indicates {}@{vv}", r.path),
                    );
                }
            } else {
                err(
                    &r.path,
                    &r.version,
                    "is explicitly required in go.mod, but not marked as explicit in vendor/modules.txt".into(),
                );
            }
        }
    }

    let replacement = |path: &str, version: &str| effective_replacement(mains, work, path, version);
    let short = |p: &Path| p.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf());

    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let work_replaces = work.map(|(wf, _)| wf.replaces.as_slice()).unwrap_or(&[]);
    let all_replaces = mains.iter().flat_map(|m| m.file.replaces.iter()).chain(work_replaces);
    for r in all_replaces {
        if !seen.insert((r.old_path.clone(), r.old_version.clone())) {
            continue;
        }
        let old_version = r.old_version.as_deref().unwrap_or("");
        let vr = meta(&r.old_path, old_version).and_then(|m| m.replacement.as_ref());
        let current = replacement(&r.old_path, old_version);
        match (vr, current) {
            (None, None) => {}
            (None, Some(_))
                if pre114
                    && (old_version.is_empty()
                        || vendor_version.get(r.old_path.as_str()).is_none_or(|v| *v != old_version)) => {}
            (None, Some((_, _, source))) => err(
                &r.old_path,
                old_version,
                format!(
                    "is replaced in {}, but not marked as replaced in vendor/modules.txt",
                    short(&source).display()
                ),
            ),
            (Some(vr), Some((target, spelled, source))) => {
                let vendored = target_spelling(vr);
                let same = match (vr, target) {
                    (ReplaceTarget::Dir(_), ReplaceTarget::Dir(_)) => vendored == spelled,
                    (a, b) => a == b,
                };
                if !same {
                    err(
                        &r.old_path,
                        old_version,
                        format!(
                            "is replaced by {} in {}, but marked as replaced by {vendored} in vendor/modules.txt",
                            target_spelling(target),
                            short(&source).display()
                        ),
                    );
                }
            }
            // Marked as replaced but no longer: reported below.
            (Some(_), None) => {}
        }
    }

    for &(path, version) in &vendor_list {
        if !meta(path, version).is_some_and(|m| m.explicit) {
            continue;
        }
        let required = mains.iter().any(|m| m.file.requires.iter().any(|r| r.path == path && r.version == version));
        if !required {
            let article = if work.is_some() { "a " } else { "" };
            err(
                path,
                version,
                format!("is marked as explicit in vendor/modules.txt, but not explicitly required in {article}go.mod"),
            );
        }
    }

    for m in txt.modules.iter().filter(|m| m.replacement.is_some()) {
        if replacement(&m.path, &m.version).is_none() {
            let source = if work.is_some() { "the workspace" } else { "go.mod" };
            err(
                &m.path,
                &m.version,
                format!("is marked as replaced in vendor/modules.txt, but not replaced in {source}"),
            );
        }
    }

    if details.is_empty() {
        return Ok(());
    }
    Err(LoadError::InconsistentVendoring {
        dir: base.to_path_buf(),
        details,
        subcommand: if work.is_some() { "work" } else { "mod" },
    })
}

/// The replacement in effect for a module version, as written, with the
/// file it comes from (`replacementFrom`: go.work first, then the main
/// modules) and its spelling in modules.txt (`canonicalizeReplacePath`:
/// relative to the go.work directory in a workspace).
fn effective_replacement<'a>(
    mains: &'a [MainFile],
    work: Option<(&'a WorkFile, &'a Path)>,
    path: &str,
    version: &str,
) -> Option<(&'a ReplaceTarget, String, PathBuf)> {
    if let Some((wf, work_file)) = work
        && let Some(r) = lookup_replace(&wf.replaces, path, version)
    {
        return Some((&r.new, target_spelling(&r.new), work_file.to_path_buf()));
    }
    let work_dir = work.map(|(_, f)| f.parent().unwrap_or(Path::new(".")));
    let mut found = None;
    for main in mains {
        if let Some(r) = lookup_replace(&main.file.replaces, path, version) {
            let spelled = match (&r.new, work_dir) {
                (ReplaceTarget::Dir(d), Some(wd)) if !Path::new(d).is_absolute() => {
                    to_directory_path(&relative_to(&main.root.join(d), wd))
                }
                (t, _) => target_spelling(t),
            };
            found = Some((&r.new, spelled, main.gomod.to_path_buf()));
        }
    }
    found
}

/// The replace directive for `path@version`: one for that version beats
/// one for all versions.
fn lookup_replace<'a>(replaces: &'a [Replace], path: &str, version: &str) -> Option<&'a Replace> {
    let exact = replaces
        .iter()
        .find(|r| !version.is_empty() && r.old_path == path && r.old_version.as_deref() == Some(version));
    exact.or_else(|| replaces.iter().find(|r| r.old_path == path && r.old_version.is_none()))
}

/// `initVendor` for a pruned main module: every module that provides
/// vendored packages must be one of go.mod's requirements, at that version.
fn check_vendored_modules_required(
    gomod: &Path,
    txt: &ModulesTxt,
    roots: &[(String, String)],
) -> Result<(), LoadError> {
    let selected = max_per_path(roots);
    let mut highest: Vec<(&str, &str)> = Vec::new();
    for m in txt.modules.iter().filter(|m| m.provides_packages()) {
        match highest.iter_mut().find(|(p, _)| *p == m.path) {
            Some(h) if compare_versions(h.1, &m.version).is_lt() => h.1 = &m.version,
            Some(_) => {}
            None => highest.push((&m.path, &m.version)),
        }
    }
    let missing: Vec<String> = highest
        .iter()
        .filter(|(p, v)| !selected.iter().any(|(sp, sv)| sp == p && sv == v))
        .map(|(p, v)| format!("vendored module {p}@{v} should be required explicitly in go.mod"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    Err(LoadError::GoModDirty { file: gomod.to_path_buf(), reason: missing.join("; ") })
}

/// A replacement as modules.txt and the go command's messages spell it.
fn target_spelling(t: &ReplaceTarget) -> String {
    match t {
        ReplaceTarget::Dir(d) => d.clone(),
        ReplaceTarget::Module { path, version } => format!("{path}@{version}"),
    }
}

/// `filepath.Rel(base, target)` for the lexical paths heft builds.
fn relative_to(target: &Path, base: &Path) -> PathBuf {
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
fn to_directory_path(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if heft_gomod::is_directory_path(&s) { s } else { format!("./{s}") }
}

fn go_at_least(file: &ModFile, v: &str) -> bool {
    file.go.as_deref().is_some_and(|g| compare_go_versions(g, v).is_ge())
}

fn read(path: &Path) -> Result<Vec<u8>, LoadError> {
    fs::read(path).map_err(|source| LoadError::Io { path: path.to_path_buf(), source })
}

fn read_mod_file(gomod: &Path) -> Result<ModFile, LoadError> {
    let text = read(gomod)?;
    parse_go_mod(&text).map_err(|e| LoadError::File { file: gomod.to_path_buf(), line: e.line, msg: e.msg })
}

fn replace_key(path: &str, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("{path}@{v}"),
        None => path.to_string(),
    }
}

fn to_replacement(target: &ReplaceTarget, base: &Path) -> Replacement {
    match target {
        ReplaceTarget::Module { path, version } => Replacement::Module { path: path.clone(), version: version.clone() },
        ReplaceTarget::Dir(d) => Replacement::Dir(clean_join(base, d)),
    }
}

/// `filepath.Join`: `base/rel` cleaned lexically ("a/./b/../c" is "a/c"),
/// as the go command reports directories.
fn clean_join(base: &Path, rel: &str) -> PathBuf {
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

fn collect_replaces(file: &ModFile, root: &Path) -> HashMap<String, Replacement> {
    file.replaces
        .iter()
        .map(|r| (replace_key(&r.old_path, r.old_version.as_deref()), to_replacement(&r.new, root)))
        .collect()
}

/// `<GOMODCACHE>/<escaped path>@<escaped version>`. A path or version that
/// cannot be escaped cannot be in the cache either; keep it verbatim so the
/// lookup fails with a "not in the module cache" error naming it.
pub fn cache_dir(gomodcache: &Path, path: &str, version: &str) -> PathBuf {
    let p = escape_path(path).unwrap_or_else(|_| path.to_string());
    let v = escape_version(version).unwrap_or_else(|_| version.to_string());
    gomodcache.join(format!("{p}@{v}"))
}

/// `<GOMODCACHE>/cache/download/<escaped path>/@v/<escaped version>.mod`,
/// where `go mod download` keeps a module version's go.mod.
fn cache_mod_file(gomodcache: &Path, path: &str, version: &str) -> PathBuf {
    let p = escape_path(path).unwrap_or_else(|_| path.to_string());
    let v = escape_version(version).unwrap_or_else(|_| version.to_string());
    gomodcache.join("cache/download").join(p).join("@v").join(format!("{v}.mod"))
}

fn find_upward(start: &Path, name: &str) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join(name)).find(|f| f.is_file())
}

/// The go command (since 1.21) refuses a go.mod or go.work that needs a
/// newer toolchain than the one running.
fn check_go_version(file: &Path, needed: Option<&str>, env: &GoEnv) -> Result<(), LoadError> {
    let running = env.go_version.trim_start_matches("go");
    match needed {
        Some(needed)
            if env.go_minor >= 21
                && !running.is_empty()
                && heft_gomod::semver::compare_go_versions(needed, running).is_gt() =>
        {
            Err(LoadError::GoTooNew {
                file: file.to_path_buf(),
                needed: needed.to_string(),
                running: env.go_version.clone(),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::EnvOverrides;

    /// A scratch directory with a module cache in it, removed on drop.
    struct Tree(PathBuf);

    impl Tree {
        fn new(name: &str) -> Tree {
            let dir = std::env::temp_dir().join(format!("heft-modules-{}-{name}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).expect("temp dir");
            Tree(dir)
        }

        fn write(&self, rel: &str, text: &str) {
            let f = self.0.join(rel);
            fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
            fs::write(f, text).expect("write");
        }

        /// A go.mod in the module cache's download directory.
        fn cached(&self, path: &str, version: &str, text: &str) {
            let f = cache_mod_file(&self.0.join("modcache"), path, version);
            fs::create_dir_all(f.parent().expect("parent")).expect("mkdir");
            fs::write(f, text).expect("write");
        }

        fn env(&self, mod_mode: ModMode) -> GoEnv {
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

        fn discover(&self) -> Result<Modules, LoadError> {
            Modules::discover(&self.0, &self.env(ModMode::Default))
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn version_of<'a>(mods: &'a Modules, path: &str) -> Option<&'a str> {
        mods.by_path.get(path).and_then(|&id| mods.list[id as usize].version.as_deref())
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/mvs")
            .join(name)
            .canonicalize()
            .expect("fixture")
    }

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

    #[test]
    fn unpruned_graph_from_the_module_cache() {
        let t = Tree::new("cache");
        t.write(
            "go.mod",
            "module example.com/m\n\ngo 1.16\n\nrequire example.org/x v1.0.0\n\n\
             replace example.org/z v1.0.0 => example.org/zfork v1.2.0\n",
        );
        t.cached(
            "example.org/x",
            "v1.0.0",
            "module example.org/x\n\nrequire (\n\texample.org/Y v1.1.0\n\texample.org/z v1.0.0\n)\n",
        );
        t.cached("example.org/Y", "v1.1.0", "module example.org/Y\n\ngo 1.12\n\nrequire example.org/x v0.9.0\n");
        t.cached(
            "example.org/x",
            "v0.9.0",
            "module example.org/x\n\ngo 1.13\n\nrequire example.org/old v0.1.0 // indirect\n",
        );
        // Dependencies' go.mod files are read leniently.
        t.cached("example.org/old", "v0.1.0", "module example.org/old\n\ngo 1.13-foo\n\nfrobnicate\n");
        // The replacement's go.mod is read, and may name either path.
        t.cached(
            "example.org/zfork",
            "v1.2.0",
            "module example.org/zfork\n\ngo 1.16\n\nrequire example.org/w v0.1.0\n",
        );
        t.cached("example.org/w", "v0.1.0", "module example.org/w\n");
        let mods = t.discover().expect("build list");
        assert!(!mods.graph_pending());
        let list: Vec<(&str, &str)> =
            mods.list.iter().filter(|m| !m.main).map(|m| (m.path.as_str(), m.version.as_deref().unwrap())).collect();
        assert_eq!(
            list,
            [
                ("example.org/Y", "v1.1.0"),
                ("example.org/old", "v0.1.0"),
                ("example.org/w", "v0.1.0"),
                ("example.org/x", "v1.0.0"),
                ("example.org/z", "v1.0.0"),
            ]
        );
        let z = &mods.list[mods.by_path["example.org/z"] as usize];
        assert_eq!(z.dir, t.0.join("modcache/example.org/zfork@v1.2.0"));
        assert_eq!(z.go_version.as_deref(), Some("1.16"));
        assert_eq!(mods.list[mods.by_path["example.org/Y"] as usize].dir, t.0.join("modcache/example.org/!y@v1.1.0"));
    }

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

    #[test]
    fn unpruned_go_mod_must_hold_the_selected_versions() {
        let t = Tree::new("dirty");
        t.write(
            "go.mod",
            "module example.com/m\n\ngo 1.16\n\nrequire (\n\texample.org/a v1.0.0\n\texample.org/b v1.1.0\n)\n\n\
             replace example.org/a => ./a\n\nreplace example.org/b => ./b\n",
        );
        t.write("a/go.mod", "module example.org/a\n\ngo 1.16\n\nrequire example.org/b v1.2.0\n");
        t.write("b/go.mod", "module example.org/b\n\ngo 1.16\n");
        let e = t.discover().expect_err("b is selected at v1.2.0");
        assert!(matches!(e, LoadError::GoModDirty { .. }), "{e:?}");
        assert!(e.to_string().contains("picks example.org/b@v1.2.0, but go.mod requires v1.1.0"), "{e}");
        assert!(e.to_string().ends_with("to update it:\n\tgo mod tidy"), "{e}");
        // -mod=mod would update go.mod instead.
        let mods = Modules::discover(&t.0, &t.env(ModMode::Mod)).expect("mod mode");
        assert_eq!(version_of(&mods, "example.org/b"), Some("v1.2.0"));
        // A dependency at go 1.21 or later raises the go version.
        t.write("a/go.mod", "module example.org/a\n\ngo 1.21\n");
        let msg = t.discover().expect_err("go 1.21").to_string();
        assert!(msg.contains("requires go >= 1.21, but go.mod says go 1.16"), "{msg}");
        // A missing replacement directory is named with the requirement path.
        fs::remove_dir_all(t.0.join("b")).expect("rm");
        t.write("a/go.mod", "module example.org/a\n\ngo 1.16\n");
        let msg = t.discover().expect_err("no ./b").to_string();
        assert!(msg.starts_with("example.org/b@v1.1.0 (replaced by "), "{msg}");
    }

    #[test]
    fn pruned_fast_path_reads_no_dependency() {
        let t = Tree::new("fast");
        t.write(
            "go.mod",
            "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.org/x v1.0.0\n\texample.org/y v1.0.0 // indirect\n)\n",
        );
        // Nothing is in the module cache: the build list still comes.
        let mut mods = t.discover().expect("fast path");
        assert!(mods.graph_pending());
        assert_eq!(version_of(&mods, "example.org/x"), Some("v1.0.0"));
        assert_eq!(version_of(&mods, "example.org/y"), Some("v1.0.0"));
        // Until the graph is needed.
        let e = mods.add_graph_modules(&t.env(ModMode::Default), Some(&["example.org/z/pkg"])).expect_err("no go.mod");
        assert!(matches!(e, LoadError::ModNotInCache { .. }), "{e:?}");
        // Two versions of one requirement is untidy.
        t.write(
            "go.mod",
            "module example.com/m\n\ngo 1.22\n\nrequire example.org/x v1.0.0\n\nrequire example.org/x v1.1.0\n",
        );
        let msg = t.discover().expect_err("duplicate").to_string();
        assert!(msg.contains("example.org/x is required at both v1.0.0 and v1.1.0"), "{msg}");
    }

    #[test]
    fn pruned_graph_on_demand() {
        let dir = fixture("pruned");
        let t = Tree::new("pruned-env");
        let env = t.env(ModMode::Default);
        let mut mods = Modules::discover(&dir, &env).expect("fixture");
        assert!(mods.graph_pending());
        assert_eq!(version_of(&mods, "example.org/e"), None);
        // Only what could provide the unresolved paths is added.
        assert!(mods.add_graph_modules(&env, Some(&["example.org/zzz"])).expect("graph").is_empty());
        let added = mods.add_graph_modules(&env, Some(&["example.org/e/x", "example.org/e"])).expect("graph");
        assert_eq!(added.len(), 1);
        let e = &mods.list[added[0] as usize];
        assert_eq!((e.path.as_str(), e.version.as_deref()), ("example.org/e", Some("v1.0.0")));
        assert_eq!(e.dir, dir.join("e"));
        // e requires b v1.2.0, but e is past the pruning horizon.
        assert_eq!(version_of(&mods, "example.org/b"), Some("v1.1.0"));
        assert!(mods.add_graph_modules(&env, None).expect("graph").is_empty());

        // A package of the graph-only module imported from the main module
        // (or named by a pattern) means go.mod is not tidy; imported from
        // a dependency only, it is fine.
        let main = mods.main[0];
        let d = mods.by_path["example.org/d"];
        let pkg = |path: &str, module: ModId, imports: &[PkgId]| {
            let mut p = Package::placeholder(path);
            p.module = Some(module);
            p.imports = imports
                .iter()
                .map(|&target| crate::Import { path: String::new(), target, implicit: false, sites: Vec::new() })
                .collect();
            p
        };
        let from_dep = [pkg("example.org/d/sub", d, &[1]), pkg("example.org/e", added[0], &[])];
        mods.check_graph_modules(&from_dep, &[0]).expect("imported by a dependency");
        let e = mods.check_graph_modules(&from_dep, &[1]).expect_err("named by a pattern");
        assert!(e.to_string().contains("package example.org/e is provided by example.org/e@v1.0.0"), "{e}");
        let from_main = [pkg("example.com/mvspruned/cmd/x", main, &[1]), pkg("example.org/e", added[0], &[])];
        mods.check_graph_modules(&from_main, &[0]).expect_err("imported by the main module");
    }

    #[test]
    fn fixtures_select_like_go_list_m_all() {
        // `go list -m all` in each fixture.
        let t = Tree::new("fixtures-env");
        let env = t.env(ModMode::Default);
        let list = |mods: &Modules| -> Vec<String> {
            let mut l: Vec<String> = mods
                .list
                .iter()
                .filter(|m| !m.main)
                .map(|m| format!("{} {}", m.path, m.version.as_deref().unwrap_or("")))
                .collect();
            l.sort();
            l
        };
        let unpruned = Modules::discover(&fixture("unpruned"), &env).expect("unpruned");
        assert_eq!(
            list(&unpruned),
            ["example.org/a v1.0.0", "example.org/b v1.2.0", "example.org/c v1.0.0", "example.org/d v1.0.0"]
        );
        assert_eq!(unpruned.list[unpruned.by_path["example.org/b"] as usize].dir, fixture("unpruned").join("b2"));
        let mut pruned = Modules::discover(&fixture("pruned"), &env).expect("pruned");
        pruned.add_graph_modules(&env, None).expect("graph");
        assert_eq!(
            list(&pruned),
            ["example.org/a v1.0.0", "example.org/b v1.1.0", "example.org/d v1.0.0", "example.org/e v1.0.0"]
        );
        let mut env_work = env.clone();
        env_work.gowork = String::new();
        let work = Modules::discover(&fixture("workspace"), &env_work).expect("workspace");
        assert_eq!(
            list(&work),
            [
                "example.org/a v1.0.0",
                "example.org/b v1.3.0",
                "example.org/c v1.1.0",
                "example.org/d v1.0.0",
                "example.org/f v1.0.0",
                "example.org/g v1.0.0"
            ]
        );
        assert_eq!(work.list[work.by_path["example.org/f"] as usize].dir, fixture("workspace").join("deps/f"));
    }

    #[test]
    fn workspace_vendor_consistency() {
        let t = Tree::new("workvendor");
        t.write("go.work", "go 1.22\n\nuse ./a\n\nreplace example.org/r => ./r\n");
        t.write(
            "a/go.mod",
            "module example.com/a\n\ngo 1.22\n\nrequire example.org/x v1.0.0\n\nreplace example.org/x => ../x\n",
        );
        let txt = "## workspace\n# example.org/x v1.0.0 => ./x\n## explicit; go 1.22\nexample.org/x\n\
                   # example.org/r => ./r\n# example.org/x => ./x\n";
        t.write("vendor/modules.txt", txt);
        let mut env = t.env(ModMode::Default);
        env.gowork = String::new();
        let mods = Modules::discover(&t.0, &env).expect("consistent");
        assert!(mods.vendor.is_some());
        t.write("vendor/modules.txt", &txt.replace("# example.org/x => ./x", "# example.org/x => ../x"));
        let msg = Modules::discover(&t.0, &env).expect_err("inconsistent").to_string();
        assert!(
            msg.contains("\n\texample.org/x: is replaced by ../x in a/go.mod, but marked as replaced by ../x"),
            "{msg}"
        );
        assert!(msg.ends_with("go work vendor"), "{msg}");
        t.write("vendor/modules.txt", &txt.replace("## explicit; go 1.22", "## go 1.22"));
        let msg = Modules::discover(&t.0, &env).expect_err("not explicit").to_string();
        assert!(msg.contains("example.org/x@v1.0.0: is explicitly required in go.mod, but not marked as explicit"));
        // Without `## workspace`, the vendor directory is not for this workspace.
        t.write("vendor/modules.txt", &txt.replace("## workspace\n", ""));
        let e = Modules::discover(&t.0, &env).expect_err("graph needs x's go.mod");
        assert!(matches!(e, LoadError::ModGraph { .. }), "{e:?}");
    }

    #[test]
    fn vendored_modules_must_be_required_from_go_1_17() {
        let t = Tree::new("vendorreq");
        t.write("go.mod", "module example.com/m\n\ngo 1.17\n\nrequire example.org/x v1.0.0\n");
        t.write(
            "vendor/modules.txt",
            "# example.org/x v1.0.0\n## explicit; go 1.17\nexample.org/x\n# example.org/y v0.1.0\n## go 1.17\nexample.org/y\n",
        );
        let msg = t.discover().expect_err("y not in go.mod").to_string();
        assert!(msg.contains("vendored module example.org/y@v0.1.0 should be required explicitly in go.mod"), "{msg}");
        t.write("go.mod", "module example.com/m\n\ngo 1.16\n\nrequire example.org/x v1.0.0\n");
        let mods = t.discover().expect("go 1.16 lists only explicit requirements");
        assert_eq!(version_of(&mods, "example.org/y"), Some("v0.1.0"));
        // No go line: no vendor mode by default.
        t.write("go.mod", "module example.com/m\n\nrequire example.org/x v1.0.0\n");
        let e = t.discover().expect_err("not vendored, not cached");
        assert!(matches!(e, LoadError::ModNotInCache { .. }), "{e:?}");
    }

    /// A differential check against `go list -m all`: for each directory
    /// listed in the file $HEFT_MVS_CASES, writes heft's build list (or its
    /// error) to `<dir>/heft-build-list`. Run with `--ignored`.
    #[test]
    #[ignore = "needs $HEFT_MVS_CASES"]
    fn print_build_lists() {
        let Ok(cases) = std::env::var("HEFT_MVS_CASES") else { return };
        for dir in fs::read_to_string(cases).expect("cases").lines() {
            let dir = Path::new(dir);
            let env = GoEnv::from_go_command(dir, &EnvOverrides::default(), None).expect("go env");
            let out = Modules::discover(dir, &env).and_then(|mut mods| {
                mods.add_graph_modules(&env, None)?;
                let mut l: Vec<String> = mods
                    .list
                    .iter()
                    .filter(|m| !m.main)
                    .map(|m| format!("{} {}\n", m.path, m.version.as_deref().unwrap_or("")))
                    .collect();
                l.sort();
                Ok(l.concat())
            });
            let text = out.unwrap_or_else(|e| format!("ERR {}\n", e.to_string().replace('\n', " ")));
            fs::write(dir.join("heft-build-list"), text).expect("write");
        }
    }
}
