//! Naming linked packages, the same way in every command: an import path,
//! a directory (`./pkg/x`, relative to the directory heft runs in),
//! `prefix/...`, a dependency's module path (all its packages), or a suffix
//! that names one package (`pkg/tzdb`).

use std::path::{Path, PathBuf};

use heft_load::{PkgId, Program};

/// A name for linked packages, as the user wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageSelector {
    /// A directory: `.`, `./x`, `../x` or an absolute path.
    Dir(String),
    /// `prefix/...`: the path and everything under it.
    Prefix(String),
    /// An import path, a module path, or a unique suffix of an import path.
    Name(String),
}

/// Why a selector names no package, or not one.
#[derive(Debug, thiserror::Error)]
pub enum SelectError {
    /// Nothing linked matches (the message names the selector and what
    /// was looked at).
    #[error("{0}")]
    NoMatch(String),
    /// A suffix names several packages.
    #[error("{name} is ambiguous: {}", candidates.join(", "))]
    Ambiguous {
        /// The selector as written.
        name: String,
        /// The packages it could be.
        candidates: Vec<String>,
    },
}

impl PackageSelector {
    /// Reads a selector.
    pub fn parse(name: &str) -> PackageSelector {
        if name == "." || name.starts_with("./") || name.starts_with("../") || Path::new(name).is_absolute() {
            PackageSelector::Dir(name.to_string())
        } else if name.ends_with("/...") {
            PackageSelector::Prefix(name.to_string())
        } else {
            PackageSelector::Name(name.to_string())
        }
    }

    fn text(&self) -> &str {
        match self {
            PackageSelector::Dir(s) | PackageSelector::Prefix(s) | PackageSelector::Name(s) => s,
        }
    }

    /// The linked packages it stands for (never empty); `dir` is where
    /// relative directories start. A module path names all of the module's
    /// packages (for a single package by that path, see [`Self::package`]).
    pub fn packages(&self, prog: &Program, dir: &Path) -> Result<Vec<PkgId>, SelectError> {
        let all = 0..prog.packages.len() as PkgId;
        let name = self.text();
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
        if let PackageSelector::Prefix(pattern) = self {
            let prefix = pattern.trim_end_matches("/...");
            let under: Vec<PkgId> = all
                .filter(|&id| {
                    let p = &prog.package(id).path;
                    p == prefix || p.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
                })
                .collect();
            if under.is_empty() {
                let n = prog.packages.len();
                return Err(SelectError::NoMatch(format!(
                    "{name} matches no package linked by {} ({n} packages)",
                    roots(prog)
                )));
            }
            return Ok(under);
        }
        self.package(prog, dir).map(|id| vec![id])
    }

    /// The one linked package it stands for.
    pub fn package(&self, prog: &Program, dir: &Path) -> Result<PkgId, SelectError> {
        let name = self.text();
        if let Some(id) = prog.lookup(name) {
            return Ok(id);
        }
        if let PackageSelector::Dir(rel) = self {
            let want = std::path::absolute(dir.join(rel)).unwrap_or_else(|_| dir.join(rel));
            let want: PathBuf = want.canonicalize().unwrap_or(want);
            let found = prog.packages.iter().position(|p| p.dir.canonicalize().is_ok_and(|d| d == want));
            return match found {
                Some(id) => Ok(id as PkgId),
                None => Err(SelectError::NoMatch(format!(
                    "{name}: no package linked by {} is in {}",
                    roots(prog),
                    want.display()
                ))),
            };
        }
        let suffix = format!("/{}", name.trim_end_matches('/'));
        let hits: Vec<PkgId> =
            (0..prog.packages.len() as PkgId).filter(|&id| prog.package(id).path.ends_with(&suffix)).collect();
        match hits[..] {
            [id] => Ok(id),
            [] => Err(SelectError::NoMatch(format!(
                "{name} is not linked by {} ({} packages; name a package by import path, ./dir, or a unique suffix)",
                roots(prog),
                prog.packages.len()
            ))),
            _ => Err(SelectError::Ambiguous {
                name: name.to_string(),
                candidates: hits.iter().map(|&h| prog.package(h).path.clone()).collect(),
            }),
        }
    }
}

fn roots(prog: &Program) -> String {
    prog.roots.iter().map(|&r| prog.package(r).path.as_str()).collect::<Vec<_>>().join(", ")
}
