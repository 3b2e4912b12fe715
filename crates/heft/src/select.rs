//! Naming linked packages, the same way in every command: an import path,
//! a directory (`./pkg/x`, relative to `-C`), `prefix/...`, a dependency's
//! module path (all its packages), or a suffix that names one package
//! (`pkg/tzdb`).

use std::path::Path;

use anyhow::{Result, bail};
use heft_load::{PkgId, Program};

/// The linked packages `name` stands for; never empty. A module path
/// names all of the module's packages (for a single package by that path,
/// see [`package`]).
pub fn packages(prog: &Program, dir: &Path, name: &str) -> Result<Vec<PkgId>> {
    let all = 0..prog.packages.len() as PkgId;
    let of_module: Vec<PkgId> = all
        .clone()
        .filter(|&id| {
            prog.package(id).module.is_some_and(|m| {
                let m = &prog.modules.list[m as usize];
                !m.main && m.path == name
            })
        })
        .collect();
    if !of_module.is_empty() {
        return Ok(of_module);
    }
    if let Some(prefix) = name.strip_suffix("/...") {
        let under: Vec<PkgId> = all
            .filter(|&id| {
                let p = &prog.package(id).path;
                p == prefix || p.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
            })
            .collect();
        if under.is_empty() {
            bail!("{name} matches no package linked by {} ({} packages)", roots(prog), prog.packages.len());
        }
        return Ok(under);
    }
    package(prog, dir, name).map(|id| vec![id])
}

/// The one linked package `name` stands for.
pub fn package(prog: &Program, dir: &Path, name: &str) -> Result<PkgId> {
    if let Some(id) = prog.lookup(name) {
        return Ok(id);
    }
    if name == "." || name.starts_with("./") || name.starts_with("../") || Path::new(name).is_absolute() {
        let want = std::path::absolute(dir.join(name)).unwrap_or_else(|_| dir.join(name));
        let want = want.canonicalize().unwrap_or(want);
        let found = prog.packages.iter().position(|p| p.dir.canonicalize().is_ok_and(|d| d == want));
        return match found {
            Some(id) => Ok(id as PkgId),
            None => bail!("{name}: no package linked by {} is in {}", roots(prog), want.display()),
        };
    }
    let suffix = format!("/{}", name.trim_end_matches('/'));
    let hits: Vec<PkgId> =
        (0..prog.packages.len() as PkgId).filter(|&id| prog.package(id).path.ends_with(&suffix)).collect();
    match hits[..] {
        [id] => Ok(id),
        [] => bail!(
            "{name} is not linked by {} ({} packages; name a package by import path, ./dir, or a unique suffix)",
            roots(prog),
            prog.packages.len()
        ),
        _ => bail!(
            "{name} is ambiguous: {}",
            hits.iter().map(|&h| prog.package(h).path.as_str()).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn roots(prog: &Program) -> String {
    prog.roots.iter().map(|&r| prog.package(r).path.as_str()).collect::<Vec<_>>().join(", ")
}
