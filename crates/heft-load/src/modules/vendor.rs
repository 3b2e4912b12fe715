//! Vendor mode: packages come from `<main>/vendor`, the build list from
//! vendor/modules.txt, which must agree with go.mod (and go.work) as the
//! go command's `checkVendorConsistency` requires.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use heft_gomod::{
    ModFile, ModulesTxt, Replace, ReplaceTarget, WorkFile, compare_go_versions, compare_versions, parse_modules_txt,
};

use super::build_list::max_per_path;
use super::files::{relative_to, to_directory_path};
use super::{ModId, Module, Modules};
use crate::env::GoEnv;
use crate::error::LoadError;

/// Vendor mode: packages come from `<main>/vendor`.
#[derive(Debug)]
pub struct Vendor {
    pub dir: PathBuf,
    /// Package path → the vendored module that provides it.
    pub packages: HashMap<String, ModId>,
    /// Since go 1.23 a vendored package must be listed in modules.txt.
    pub require_listed: bool,
}

impl Modules {
    pub(super) fn read_vendor(&mut self, dir: &Path, txt: ModulesTxt, require_listed: bool) -> Vendor {
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

/// A main module's go.mod, for the vendor consistency check.
pub(super) struct MainFile<'a> {
    pub(super) file: &'a ModFile,
    pub(super) root: &'a Path,
    pub(super) gomod: &'a Path,
}

/// vendor/modules.txt's bytes and path; None when there is none.
pub(super) fn read_modules_txt(vendor_dir: &Path) -> Result<Option<(Vec<u8>, PathBuf)>, LoadError> {
    let file = vendor_dir.join("modules.txt");
    match fs::read(&file) {
        Ok(t) => Ok(Some((t, file))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LoadError::Io { path: file, source }),
    }
}

/// `modulesTextIsForWorkspace`: the first line carries `## workspace`.
pub(super) fn is_workspace_modules_txt(text: &[u8]) -> bool {
    let first = text.split(|&b| b == b'\n').next().unwrap_or(b"");
    let first = String::from_utf8_lossy(&first[..first.len().min(512)]).into_owned();
    first.strip_prefix("## ").is_some_and(|a| a.split(';').any(|e| e.trim() == "workspace"))
}

/// `readVendorList`: modules.txt (none is an empty list); a module whose
/// `## go` annotation is newer than the toolchain is fatal.
pub(super) fn load_modules_txt(vendor_dir: &Path, env: &GoEnv) -> Result<ModulesTxt, LoadError> {
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
pub(super) fn check_vendor_consistency(
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
pub(super) fn check_vendored_modules_required(
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
        ReplaceTarget::Dir(d) => d.to_string_lossy().into_owned(),
        ReplaceTarget::Module { path, version } => format!("{path}@{version}"),
    }
}

#[cfg(test)]
mod tests {
    use crate::env::ModMode;
    use crate::error::LoadError;
    use crate::modules::Modules;
    use crate::modules::test_support::{Tree, version_of};

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
}
