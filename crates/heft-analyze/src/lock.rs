//! heft.lock: the packages each binary links, each with one importer that
//! brings it in — a checked-in baseline. `heft check` fails on packages it
//! does not list and names the import that brought them.
//!
//! ```text
//! # heft.lock: …
//!
//! example.com/busybox/cmd/agent
//! →bufio→example.com/busybox/pkg/db/wire
//! →example.com/busybox/internal/agent→example.com/busybox/cmd/agent
//! ```
//!
//! A binary's import path at the start of a line, then one line per linked
//! package (the root itself left out), sorted: a tab (→ above), the
//! package, a tab, the importer kept as the reason. The reason stays the same while it
//! still holds, so that updates change only what changed.

use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

use heft_load::{PkgId, Program};

use crate::config::ConfigError;
use crate::graph::ImportGraph;

const HEADER: &str = "\
# heft.lock: the packages each binary links, each with one importer that
# brings it in. Written by `heft lock`; `heft check` fails on packages not
# listed here and names the import that brought them (accept them with
# `heft lock --update`).
";

/// Per binary (its import path), each linked package and the importer
/// that brings it in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lock {
    /// Binary → package → importer.
    pub binaries: BTreeMap<String, BTreeMap<String, String>>,
}

impl Lock {
    /// The lock of every root of `prog`, keeping `previous`'s reasons
    /// where they still hold.
    pub fn of(prog: &Program, ig: &ImportGraph, previous: Option<&Lock>) -> Lock {
        let mut binaries = BTreeMap::new();
        for &root in &prog.roots {
            let name = prog.package(root).path.clone();
            let kept = previous.and_then(|l| l.binaries.get(&name));
            let parent = bfs_parents(ig, root);
            let mut packages = BTreeMap::new();
            for (id, p) in parent.iter().enumerate() {
                let Some(p) = *p else { continue };
                let path = &prog.package(id as PkgId).path;
                let still = kept.and_then(|k| k.get(path)).filter(|importer| {
                    prog.lookup(importer).is_some_and(|i| {
                        (parent[i as usize].is_some() || i == root)
                            && prog.package(i).imports.iter().any(|imp| imp.target == id as PkgId)
                    })
                });
                let reason = still.cloned().unwrap_or_else(|| prog.package(p).path.clone());
                packages.insert(path.clone(), reason);
            }
            binaries.insert(name, packages);
        }
        Lock { binaries }
    }

    /// The lock as written to heft.lock.
    pub fn render(&self) -> String {
        let mut out = String::from(HEADER);
        for (binary, packages) in &self.binaries {
            out.push('\n');
            out.push_str(binary);
            out.push('\n');
            for (package, importer) in packages {
                out.push_str(&format!("\t{package}\t{importer}\n"));
            }
        }
        out
    }

    /// Reads heft.lock (`file` is named in errors).
    pub fn parse(text: &str, file: &Path) -> Result<Lock, ConfigError> {
        let mut lock = Lock::default();
        let mut current: Option<String> = None;
        for (n, line) in text.lines().enumerate() {
            let err = |message: &str| ConfigError {
                file: file.to_path_buf(),
                line: n + 1,
                col: 1,
                message: message.to_string(),
            };
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            match line.strip_prefix('\t') {
                None => {
                    let binary = line.trim_end().to_string();
                    lock.binaries.entry(binary.clone()).or_default();
                    current = Some(binary);
                }
                Some(rest) => {
                    let Some(binary) = &current else { return Err(err("a package line before any binary")) };
                    let Some((package, importer)) = rest.split_once('\t') else {
                        return Err(err("expected a tab, the package, a tab and its importer"));
                    };
                    lock.binaries.get_mut(binary).expect("entered above").insert(package.into(), importer.into());
                }
            }
        }
        Ok(lock)
    }
}

/// For each package reachable from `root`, its parent in a breadth-first
/// search (imports in order): the importer on a shortest chain. None for
/// the root and for what it does not reach.
pub fn bfs_parents(ig: &ImportGraph, root: PkgId) -> Vec<Option<PkgId>> {
    let mut parent = vec![None; ig.graph.node_count()];
    let mut seen = vec![false; ig.graph.node_count()];
    seen[root as usize] = true;
    let mut queue = VecDeque::from([root]);
    while let Some(v) = queue.pop_front() {
        for &w in ig.graph.successors(v) {
            if !std::mem::replace(&mut seen[w as usize], true) {
                parent[w as usize] = Some(v);
                queue.push_back(w);
            }
        }
    }
    parent
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_reads_back() {
        let mut lock = Lock::default();
        let agent = lock.binaries.entry("example.com/m/cmd/agent".into()).or_default();
        agent.insert("fmt".into(), "example.com/m/cmd/agent".into());
        agent.insert("errors".into(), "fmt".into());
        let text = lock.render();
        assert!(text.contains("\nexample.com/m/cmd/agent\n\terrors\tfmt\n\tfmt\texample.com/m/cmd/agent\n"), "{text}");
        assert_eq!(Lock::parse(&text, Path::new("heft.lock")).unwrap(), lock);
        let e = Lock::parse("\tfmt\tx\n", Path::new("heft.lock")).unwrap_err().to_string();
        assert_eq!(e, "heft.lock:1:1: a package line before any binary");
        let e = Lock::parse("a\n\tfmt x\n", Path::new("heft.lock")).unwrap_err().to_string();
        assert!(e.starts_with("heft.lock:2:1: expected a tab"), "{e}");
    }
}
