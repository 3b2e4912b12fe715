//! The pruned module graph of a go ≥ 1.17 main module. Its build list
//! comes from go.mod alone; the graph is read only when an import is in
//! none of those modules, a `...` pattern reaches outside the main modules,
//! or a module that provides a package requires more than go.mod does.

use std::collections::HashMap;
use std::path::PathBuf;

use heft_gomod::compare_versions;
use rayon::prelude::*;

use super::build_list::check_roots_selected;
use super::resolver::Resolver;
use super::{ModId, Modules};
use crate::env::{GoEnv, ModMode};
use crate::error::LoadError;
use crate::mvs::{Graph, Pruning};
use crate::{Package, PkgId};

/// The go command's `modload.Requirements` of a pruned main module.
pub(super) struct PrunedRoots {
    pub(super) gomod: PathBuf,
    pub(super) main: String,
    /// go.mod's requirements (exclusions dropped) and `("go", version)`.
    pub(super) roots: Vec<(String, String)>,
    pub(super) resolver: Resolver,
    /// The graph, once loaded.
    pub(super) graph: Option<Graph>,
}

impl std::fmt::Debug for PrunedRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrunedRoots").field("main", &self.main).field("loaded", &self.graph.is_some()).finish()
    }
}

impl Modules {
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
}

/// `gover.IsToolchain`.
fn is_toolchain(path: &str) -> bool {
    path == "go" || path == "toolchain"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::env::ModMode;
    use crate::modules::test_support::{Tree, fixture, version_of};

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
}
