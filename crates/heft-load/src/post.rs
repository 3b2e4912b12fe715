//! Checks over the whole graph once it is loaded: `internal` visibility,
//! import cycles, and the `go list -deps` order.

use std::collections::HashMap;

use crate::error::PackageError;
use crate::modules::Modules;
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

/// Records "use of internal package not allowed" on packages imported from
/// outside the tree rooted at the parent of their `internal` element.
pub(crate) fn check_internal(packages: &mut [Package], mods: &Modules) {
    let mut violations: Vec<PkgId> = Vec::new();
    for importer in packages.iter() {
        for imp in &importer.imports {
            let target = &packages[imp.target as usize];
            if !target.errors.is_empty() {
                continue;
            }
            let Some(parent) = internal_parent(&target.path) else { continue };
            if !internal_allowed(importer, target, parent, mods) {
                violations.push(imp.target);
            }
        }
    }
    for id in violations {
        let p = &mut packages[id as usize];
        let err = PackageError::Internal { path: p.path.clone() };
        if !p.errors.contains(&err) {
            p.errors.push(err);
        }
    }
}

fn internal_allowed(importer: &Package, target: &Package, parent: &str, _mods: &Modules) -> bool {
    let (imp, tgt) = (importer.path.as_str(), target.path.as_str());
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

/// Marks every package on an import cycle (strongly connected components
/// with more than one package, or a self-import).
pub(crate) fn mark_cycles(packages: &mut [Package]) {
    for comp in strongly_connected(packages) {
        let is_cycle = comp.len() > 1 || packages[comp[0] as usize].imports.iter().any(|i| i.target == comp[0]);
        if !is_cycle {
            continue;
        }
        let mut names: Vec<&str> = comp.iter().map(|&id| packages[id as usize].path.as_str()).collect();
        names.sort_unstable();
        let desc = names.join(", ");
        for &id in &comp {
            packages[id as usize].errors.push(PackageError::Cycle(desc.clone()));
        }
    }
}

/// Tarjan's algorithm, iterative.
fn strongly_connected(packages: &[Package]) -> Vec<Vec<PkgId>> {
    const UNSEEN: u32 = u32::MAX;
    let n = packages.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<PkgId> = Vec::new();
    let mut comps = Vec::new();
    let mut next_index = 0u32;
    let mut call: Vec<(PkgId, usize)> = Vec::new();
    for start in 0..n as PkgId {
        if index[start as usize] != UNSEEN {
            continue;
        }
        call.push((start, 0));
        while let Some(&mut (v, ref mut i)) = call.last_mut() {
            let vu = v as usize;
            if *i == 0 && index[vu] == UNSEEN {
                index[vu] = next_index;
                low[vu] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[vu] = true;
            }
            if let Some(imp) = packages[vu].imports.get(*i) {
                *i += 1;
                let w = imp.target as usize;
                if index[w] == UNSEEN {
                    call.push((imp.target, 0));
                } else if on_stack[w] {
                    low[vu] = low[vu].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent as usize] = low[parent as usize].min(low[vu]);
            }
            if low[vu] == index[vu] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                comps.push(comp);
            }
        }
    }
    comps
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
    for r in &mut prog.roots {
        *r = new_id[*r as usize].expect("roots are reachable");
    }
    let by_path: HashMap<String, PkgId> = prog.packages.iter().enumerate().map(|(i, p)| (p.path.clone(), i as PkgId)).collect();
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
