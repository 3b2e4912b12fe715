//! Checks over the whole graph once it is loaded: `internal` visibility,
//! import cycles, and the `go list -deps` order.

use rustc_hash::FxHashMap as HashMap;

use std::path::Path;

use crate::error::PackageError;
use crate::modules::Modules;
use crate::pattern::COMMAND_LINE_ARGUMENTS;
use crate::{Package, PkgId, Program};

/// Post-order DFS from the roots: dependencies before dependents.
pub(crate) fn deps_order(packages: &[Package], roots: &[PkgId]) -> Vec<PkgId> {
    let mut seen = vec![false; packages.len()];
    let mut order = Vec::with_capacity(packages.len());
    // Explicit stack of (package, next import index) to survive deep graphs.
    let mut stack: Vec<(PkgId, usize)> = Vec::new();
    for &root in roots {
        if seen[root as usize] {
            continue;
        }
        seen[root as usize] = true;
        stack.push((root, 0));
        while let Some((id, next)) = stack.last_mut() {
            let imports = &packages[*id as usize].imports;
            if let Some(imp) = imports.get(*next) {
                *next += 1;
                let t = imp.target;
                if !seen[t as usize] {
                    seen[t as usize] = true;
                    stack.push((t, 0));
                }
            } else {
                order.push(*id);
                stack.pop();
            }
        }
    }
    order
}

/// The position of the `internal` element in an import path, if any.
fn internal_parent(path: &str) -> Option<&str> {
    if path == "internal" || path.starts_with("internal/") {
        return Some("");
    }
    let i = path.find("/internal/").or_else(|| path.ends_with("/internal").then(|| path.len() - "/internal".len()))?;
    Some(&path[..i])
}

/// The checks the go command makes on each import once both ends are
/// loaded; a failure is recorded on the importing package, as go does.
pub(crate) fn check_imports(packages: &mut [Package], modules: &Modules) {
    let mut found: Vec<(PkgId, PackageError)> = Vec::new();
    for (id, importer) in packages.iter().enumerate() {
        // Files named on the command line import as the package of their
        // directory would (outside the main modules: as nothing can).
        let importer_path: std::borrow::Cow<str> = if importer.path == COMMAND_LINE_ARGUMENTS {
            dir_import_path(modules, &importer.dir).unwrap_or_else(|| ".".to_string()).into()
        } else {
            importer.path.as_str().into()
        };
        for imp in &importer.imports {
            let target = &packages[imp.target as usize];
            if let Some(err) = import_error(importer, &importer_path, target, &imp.path) {
                found.push((id as PkgId, err));
                break;
            }
        }
    }
    for (id, err) in found {
        packages[id as usize].errors.push(err);
    }
}

/// The import path of a directory inside a main module.
fn dir_import_path(modules: &Modules, dir: &Path) -> Option<String> {
    modules.main.iter().map(|&m| &modules.list[m as usize]).find_map(|m| {
        let rel = dir.strip_prefix(&m.dir).ok()?;
        let rel = rel.to_string_lossy().replace('\\', "/");
        Some(if rel.is_empty() { m.path.clone() } else { format!("{}/{rel}", m.path) })
    })
}

fn import_error(importer: &Package, importer_path: &str, target: &Package, path: &str) -> Option<PackageError> {
    if path.starts_with("./") || path.starts_with("../") || path == "." || path == ".." {
        return Some(PackageError::LocalImport { path: path.to_string() });
    }
    if !target.errors.is_empty() {
        return None;
    }
    if let Some(parent) = internal_parent(&target.path)
        && !internal_allowed(importer, importer_path, target, parent)
    {
        return Some(PackageError::Internal { path: target.path.clone() });
    }
    if let Some(i) = vendor_element(&target.path) {
        // Only code under the vendor directory's parent may use it.
        let depth = target.path.len() - i;
        let tdir = target.dir.to_string_lossy();
        let parent_dir = tdir[..tdir.len().saturating_sub(depth)].trim_end_matches(['/', '\\']);
        if !has_path_prefix(&importer.dir.to_string_lossy(), parent_dir) {
            return Some(PackageError::VendorVisibility { path: path.to_string() });
        }
    }
    if target.name == "main" && importer.dir != target.dir {
        return Some(PackageError::ImportMain { path: path.to_string() });
    }
    None
}

/// Byte index of the `vendor` element of an import path, if it has one.
fn vendor_element(path: &str) -> Option<usize> {
    if path.starts_with("vendor/") {
        return Some(0);
    }
    path.rfind("/vendor/").map(|i| i + 1)
}

fn internal_allowed(importer: &Package, importer_path: &str, target: &Package, parent: &str) -> bool {
    let (imp, tgt) = (importer_path, target.path.as_str());
    if has_path_prefix(imp, "crypto") && has_path_prefix(tgt, "crypto/internal/fips140") {
        return true;
    }
    if has_path_prefix(imp, "crypto/internal/fips140") {
        return has_path_prefix(tgt, "crypto/internal");
    }
    if target.module.is_none() {
        // Standard library: decided by directories, as the go command does.
        let depth = tgt.len() - parent.len();
        let tdir = target.dir.to_string_lossy();
        let parent_dir = &tdir[..tdir.len().saturating_sub(depth)];
        let idir = importer.dir.to_string_lossy();
        return has_path_prefix(&idir, parent_dir.trim_end_matches(['/', '\\']));
    }
    has_path_prefix(imp, parent)
}

/// Whether `s` is `prefix` or starts with `prefix/`.
fn has_path_prefix(s: &str, prefix: &str) -> bool {
    prefix.is_empty() || s == prefix || (s.starts_with(prefix) && matches!(s.as_bytes()[prefix.len()], b'/' | b'\\'))
}

/// Marks import cycles as the go command does: loading depth-first from
/// the roots, the package that is reached again while still being loaded
/// carries "import cycle not allowed".
pub(crate) fn mark_cycles(packages: &mut [Package], roots: &[PkgId]) {
    const NEW: u8 = 0;
    const ACTIVE: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; packages.len()];
    let mut cyclic: Vec<(PkgId, Vec<String>)> = Vec::new();
    let mut stack: Vec<(PkgId, usize)> = Vec::new();
    for &root in roots {
        if state[root as usize] != NEW {
            continue;
        }
        state[root as usize] = ACTIVE;
        stack.push((root, 0));
        while let Some((id, next)) = stack.last_mut() {
            let imports = &packages[*id as usize].imports;
            if let Some(imp) = imports.get(*next) {
                *next += 1;
                let t = imp.target;
                match state[t as usize] {
                    NEW => {
                        state[t as usize] = ACTIVE;
                        stack.push((t, 0));
                    }
                    ACTIVE => {
                        // The cycle is the stack from t to here, back to t.
                        let from = stack.iter().position(|(p, _)| *p == t).unwrap_or(0);
                        let ids: Vec<PkgId> = stack[from..].iter().map(|(p, _)| *p).chain([t]).collect();
                        cyclic.push((t, describe_cycle(packages, &ids)));
                    }
                    _ => {}
                }
            } else {
                state[*id as usize] = DONE;
                stack.pop();
            }
        }
    }
    for (id, hops) in cyclic {
        let p = &mut packages[id as usize];
        if !p.errors.iter().any(|e| matches!(e, PackageError::Cycle(_))) {
            p.errors.push(PackageError::Cycle(hops));
        }
    }
}

/// "a imports b (a.go:3)" for each hop of a cycle.
fn describe_cycle(packages: &[Package], ids: &[PkgId]) -> Vec<String> {
    ids.windows(2)
        .map(|w| {
            let (a, b) = (&packages[w[0] as usize], &packages[w[1] as usize]);
            let site = a
                .imports
                .iter()
                .find(|i| i.target == w[1])
                .and_then(|i| i.sites.first())
                .map(|s| format!(" ({}:{})", a.site_file(s), s.line))
                .unwrap_or_default();
            format!("{} imports {}{site}", a.path, b.path)
        })
        .collect()
}

/// Drops packages no root reaches (a wildcard match that was skipped) and
/// renumbers the rest.
pub(crate) fn prune_unreachable(prog: &mut Program) {
    let order = deps_order(&prog.packages, &prog.roots);
    if order.len() == prog.packages.len() {
        return;
    }
    let mut new_id: Vec<Option<PkgId>> = vec![None; prog.packages.len()];
    let mut keep = vec![false; prog.packages.len()];
    for &id in &order {
        keep[id as usize] = true;
    }
    let mut next = 0;
    for (old, k) in keep.iter().enumerate() {
        if *k {
            new_id[old] = Some(next);
            next += 1;
        }
    }
    let packages = std::mem::take(&mut prog.packages);
    prog.packages = packages.into_iter().enumerate().filter(|(i, _)| keep[*i]).map(|(_, p)| p).collect();
    for p in &mut prog.packages {
        for imp in &mut p.imports {
            imp.target = new_id[imp.target as usize].expect("imports of a reachable package are reachable");
        }
    }
    for r in prog.roots.iter_mut().chain(&mut prog.named_roots) {
        *r = new_id[*r as usize].expect("roots are reachable");
    }
    let by_path: HashMap<String, PkgId> =
        prog.packages.iter().enumerate().map(|(i, p)| (p.path.clone(), i as PkgId)).collect();
    prog.by_path = by_path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_parents() {
        assert_eq!(internal_parent("internal/poll"), Some(""));
        assert_eq!(internal_parent("a.com/x/internal/y"), Some("a.com/x"));
        assert_eq!(internal_parent("a.com/x/internal"), Some("a.com/x"));
        assert_eq!(internal_parent("a.com/internals/y"), None);
    }

    #[test]
    fn path_prefix() {
        assert!(has_path_prefix("a/b", "a"));
        assert!(!has_path_prefix("ab", "a"));
        assert!(has_path_prefix("a", "a"));
    }
}
