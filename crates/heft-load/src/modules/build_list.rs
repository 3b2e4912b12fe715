//! The main module (or workspace) and its build list: go.mod's
//! requirements for a pruned main module, minimal version selection over
//! the whole graph otherwise, vendor/modules.txt in vendor mode; and the
//! checks that go.mod needs no update.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use heft_gomod::{ModFile, compare_go_versions, compare_versions, parse_go_work};

use super::files::{clean_join, collect_replaces, read, read_mod_file, replace_key, to_replacement};
use super::pruned::PrunedRoots;
use super::resolver::Resolver;
use super::vendor::{
    MainFile, check_vendor_consistency, check_vendored_modules_required, is_workspace_modules_txt, load_modules_txt,
    read_modules_txt,
};
use super::{ModId, Module, Modules};
use crate::env::{GoEnv, ModMode};
use crate::error::LoadError;
use crate::mvs::{Graph, Pruning, mod_sort};

impl Modules {
    pub(super) fn from_main_module(gomod: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
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

    pub(super) fn from_workspace(work: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
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
                    msg: format!(
                        "cannot load module {} listed in go.work: {} does not exist",
                        u.dir.display(),
                        gomod.display()
                    ),
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
}

/// For each path, the highest version required (`Requirements.rootSelected`).
pub(super) fn max_per_path(roots: &[(String, String)]) -> Vec<(&str, &str)> {
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
pub(super) fn check_roots_selected(gomod: &Path, graph: &Graph, roots: &[(String, String)]) -> Result<(), LoadError> {
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

fn go_at_least(file: &ModFile, v: &str) -> bool {
    file.go.as_deref().is_some_and(|g| compare_go_versions(g, v).is_ge())
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
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::env::EnvOverrides;
    use crate::modules::test_support::{Tree, fixture, version_of};

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
