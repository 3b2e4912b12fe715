//! The main module(s) and the build list: which module provides an import
//! path, and where its files are.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use heft_gomod::{
    ModFile, ReplaceTarget, compare_versions, escape_path, escape_version, parse_go_mod, parse_go_work,
    parse_modules_txt,
};

use crate::env::{GoEnv, ModMode};
use crate::error::LoadError;

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
        let replaces = collect_replaces(&file, &root);
        mods.add_requirements(&[(&file, main)], &replaces, env);

        let vendor_dir = root.join("vendor");
        let go_at_least = |minor: u32| go_minor_of(file.go.as_deref()) >= minor;
        let vendor_mode = match env.mod_mode {
            ModMode::Vendor => true,
            ModMode::Default => go_at_least(14) && vendor_dir.is_dir(),
            ModMode::Readonly | ModMode::Mod => false,
        };
        if vendor_mode {
            mods.vendor = Some(mods.read_vendor(&vendor_dir, go_at_least(23))?);
        }
        Ok(mods)
    }

    fn from_workspace(work: &Path, env: &GoEnv) -> Result<Modules, LoadError> {
        let text = read(work)?;
        let wf =
            parse_go_work(&text).map_err(|e| LoadError::File { file: work.to_path_buf(), line: e.line, msg: e.msg })?;
        let work_dir = work.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut mods = Modules::empty(Some(work.to_path_buf()));
        let mut files = Vec::new();
        for u in &wf.uses {
            let root = work_dir.join(&u.dir);
            let gomod = root.join("go.mod");
            let file = read_mod_file(&gomod).map_err(|e| match e {
                LoadError::Io { .. } => LoadError::File {
                    file: work.to_path_buf(),
                    line: u.line,
                    msg: format!("cannot load module {} listed in go.work: {} does not exist", u.dir, gomod.display()),
                },
                other => other,
            })?;
            let id = mods.add_main(&file, &root, &gomod, env)?;
            files.push((file, id, root));
        }
        // Replacements in go.work win over those of the modules.
        let mut replaces = HashMap::new();
        for (file, _, root) in &files {
            replaces.extend(collect_replaces(file, root));
        }
        for r in &wf.replaces {
            replaces.insert(replace_key(&r.old_path, r.old_version.as_deref()), to_replacement(&r.new, &work_dir));
        }
        let refs: Vec<(&ModFile, ModId)> = files.iter().map(|(f, id, _)| (f, *id)).collect();
        mods.add_requirements(&refs, &replaces, env);
        Ok(mods)
    }

    fn empty(workspace: Option<PathBuf>) -> Modules {
        Modules { list: Vec::new(), by_path: HashMap::new(), main: Vec::new(), vendor: None, workspace }
    }

    fn add_main(&mut self, file: &ModFile, root: &Path, gomod: &Path, env: &GoEnv) -> Result<ModId, LoadError> {
        let path = file.module.clone().ok_or_else(|| LoadError::File {
            file: gomod.to_path_buf(),
            line: 1,
            msg: "missing module declaration".into(),
        })?;
        if let Err(e) = heft_gomod::escape::check_path(&path) {
            return Err(LoadError::File { file: gomod.to_path_buf(), line: file.module_line, msg: e.to_string() });
        }
        // The go command refuses a module that needs a newer toolchain.
        let running = env.go_version.trim_start_matches("go");
        if let Some(needed) = &file.go {
            if !running.is_empty() && heft_gomod::semver::compare_go_versions(needed, running).is_gt() {
                return Err(LoadError::GoTooNew {
                    file: gomod.to_path_buf(),
                    needed: needed.clone(),
                    running: env.go_version.clone(),
                });
            }
        }
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

    /// The build list from the main modules' requirements. A tidy go.mod at
    /// go 1.17 or later lists every module that provides a package at its
    /// selected version; across several main modules the highest wins (MVS).
    fn add_requirements(&mut self, files: &[(&ModFile, ModId)], replaces: &HashMap<String, Replacement>, env: &GoEnv) {
        let mut selected: HashMap<&str, &str> = HashMap::new();
        for (file, _) in files {
            for req in &file.requires {
                if self.by_path.get(&req.path).is_some_and(|&id| self.list[id as usize].main) {
                    continue;
                }
                let excluded = file.excludes.iter().any(|x| x.path == req.path && x.version == req.version);
                if excluded {
                    continue;
                }
                selected
                    .entry(&req.path)
                    .and_modify(|v| {
                        if compare_versions(&req.version, v).is_gt() {
                            *v = &req.version;
                        }
                    })
                    .or_insert(&req.version);
            }
        }
        let mut paths: Vec<(&str, &str)> = selected.into_iter().collect();
        paths.sort_unstable();
        for (path, version) in paths {
            let replace = replaces
                .get(&replace_key(path, Some(version)))
                .or_else(|| replaces.get(&replace_key(path, None)))
                .cloned();
            let (dir, local) = match &replace {
                Some(Replacement::Dir(d)) => (d.clone(), true),
                Some(Replacement::Module { path, version }) => (cache_dir(&env.gomodcache, path, version), false),
                None => (cache_dir(&env.gomodcache, path, version), false),
            };
            self.push(Module {
                path: path.to_string(),
                version: Some(version.to_string()),
                replace,
                main: false,
                dir,
                local,
                go_version: None,
            });
        }
    }

    fn read_vendor(&mut self, dir: &Path, require_listed: bool) -> Result<Vendor, LoadError> {
        let file = dir.join("modules.txt");
        let mut packages = HashMap::new();
        let text = match fs::read(&file) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(LoadError::Io { path: file, source }),
        };
        let txt =
            parse_modules_txt(&text).map_err(|e| LoadError::File { file: file.clone(), line: e.line, msg: e.msg })?;
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
        Ok(Vendor { dir: dir.to_path_buf(), packages, require_listed })
    }
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
        ReplaceTarget::Dir(d) => Replacement::Dir(base.join(d)),
    }
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

fn find_upward(start: &Path, name: &str) -> Option<PathBuf> {
    start.ancestors().map(|d| d.join(name)).find(|f| f.is_file())
}

/// "1.22.3" → 22; no go line means go 1.16 semantics.
fn go_minor_of(go: Option<&str>) -> u32 {
    go.and_then(|v| v.strip_prefix("1."))
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
        .unwrap_or(16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_minor_parsing() {
        assert_eq!(go_minor_of(Some("1.22")), 22);
        assert_eq!(go_minor_of(Some("1.26.7")), 26);
        assert_eq!(go_minor_of(Some("1.21rc1")), 21);
        assert_eq!(go_minor_of(None), 16);
    }

    #[test]
    fn cache_dir_escapes_case() {
        let d = cache_dir(Path::new("/m"), "github.com/BurntSushi/toml", "v1.0.0");
        assert_eq!(d, PathBuf::from("/m/github.com/!burnt!sushi/toml@v1.0.0"));
    }
}
