//! What a change does to the binaries: the same roots loaded before and
//! after, per binary the maintainers' before/after figures, and what
//! changed them — each import edge that brought packages in or let them
//! go, and the findings that are new.

use std::collections::{BTreeMap, BTreeSet};

use heft_load::{PkgId, Program};
use heft_measure::Measurement;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Location, import_sites};
use crate::findings::{FindingsOptions, collect};
use crate::graph::ImportGraph;

/// One binary's figures at one revision.
#[derive(Clone, Copy, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    /// Linked packages.
    pub packages: u64,
    /// Source bytes linked.
    pub source_bytes: u64,
    /// Live heap at the end of init (with measurements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap_live: Option<u64>,
    /// Allocations up to the end of init (with measurements).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mallocs: Option<u64>,
    /// Bytes of the built binary (with measurements or a build).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary_size: Option<u64>,
}

/// An import edge that appeared (and what it brought) or went away (and
/// what it let go).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EdgeChange {
    /// The importer.
    pub importer: String,
    /// The imported package.
    pub imported: String,
    /// Where the import is (in the revision that has it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Location>,
    /// The packages it brought in (added) or that left with it (removed).
    pub packages: Vec<String>,
    /// Their source bytes.
    pub source_bytes: u64,
}

impl BinaryDiff {
    /// Whether the binary's weight changed: packages came or went, or a
    /// measured figure moved (source edits alone do not count).
    pub fn changed(&self) -> bool {
        let (b, a) = (self.before.as_ref(), self.after.as_ref());
        let figure = |f: fn(&Figures) -> Option<u64>| b.and_then(f) != a.and_then(f);
        b.is_none()
            || a.is_none()
            || !self.added.is_empty()
            || !self.removed.is_empty()
            || figure(|f| Some(f.packages))
            || figure(|f| f.heap_live)
            || figure(|f| f.mallocs)
            || figure(|f| f.binary_size)
    }
}

/// One binary before and after.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BinaryDiff {
    /// The root's import path.
    pub root: String,
    /// Before (None: the binary is new).
    pub before: Option<Figures>,
    /// After (None: the binary is gone).
    pub after: Option<Figures>,
    /// Imports that brought packages in.
    pub added: Vec<EdgeChange>,
    /// Imports that went away with the packages they alone brought.
    pub removed: Vec<EdgeChange>,
}

/// The whole change.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgramDiff {
    /// Per binary, in the order of the roots (new binaries last).
    pub binaries: Vec<BinaryDiff>,
    /// Findings in the user's own code that the base did not have.
    pub new_findings: Vec<Diagnostic>,
}

/// Figures of each root: packages and source from the graph, the rest
/// from measurements (by root path) and `sizes` (built binaries).
fn figures(
    prog: &Program,
    ig: &ImportGraph,
    m: Option<&Measurement>,
    sizes: &BTreeMap<String, u64>,
) -> BTreeMap<String, (PkgId, Vec<bool>, Figures)> {
    prog.roots
        .iter()
        .map(|&r| {
            let reach = ig.graph.reachable_from(&[r]);
            let path = prog.package(r).path.clone();
            let measured = m.and_then(|m| m.binaries.iter().find(|b| b.package == path));
            let f = Figures {
                packages: reach.iter().filter(|&&x| x).count() as u64,
                source_bytes: (0..prog.packages.len())
                    .filter(|&i| reach[i])
                    .map(|i| prog.packages[i].source_bytes)
                    .sum(),
                heap_live: measured.and_then(|b| b.heap_live),
                mallocs: measured.and_then(|b| b.mallocs),
                binary_size: sizes.get(&path).copied().or(measured.map(|b| b.binary_size)),
            };
            (path, (r, reach, f))
        })
        .collect()
}

/// The imports from what stays into `changed` (packages only one side
/// links), each with what came (or went) through it.
fn entry_edges(prog: &Program, reach: &[bool], changed: &BTreeSet<String>) -> Vec<EdgeChange> {
    let is_changed = |id: PkgId| reach[id as usize] && changed.contains(&prog.package(id).path);
    let mut out = Vec::new();
    for (a, p) in prog.packages.iter().enumerate() {
        let a = a as PkgId;
        if !reach[a as usize] || is_changed(a) {
            continue;
        }
        for imp in p.imports.iter().filter(|i| is_changed(i.target)) {
            let mut seen = BTreeSet::from([imp.target]);
            let mut stack = vec![imp.target];
            while let Some(v) = stack.pop() {
                for w in &prog.package(v).imports {
                    if is_changed(w.target) && seen.insert(w.target) {
                        stack.push(w.target);
                    }
                }
            }
            // The user's and dependencies' packages first, the standard library's after.
            let mut ids: Vec<PkgId> = seen.iter().copied().collect();
            ids.sort_by(|&x, &y| {
                let (px, py) = (prog.package(x), prog.package(y));
                (px.standard, &px.path).cmp(&(py.standard, &py.path))
            });
            let packages: Vec<String> = ids.iter().map(|&id| prog.package(id).path.clone()).collect();
            out.push(EdgeChange {
                importer: p.path.clone(),
                imported: imp.path.clone(),
                site: import_sites(prog, a, imp.target).into_iter().next(),
                source_bytes: seen.iter().map(|&id| prog.package(id).source_bytes).sum(),
                packages,
            });
        }
    }
    out.sort_by(|x, y| {
        y.packages
            .len()
            .cmp(&x.packages.len())
            .then_with(|| (&x.importer, &x.imported).cmp(&(&y.importer, &y.imported)))
    });
    out
}

/// One side of the comparison: a loaded program and what was measured.
pub struct Side<'a> {
    /// The program at that revision.
    pub prog: &'a Program,
    /// Its measurements, when asked for.
    pub measurements: Option<&'a Measurement>,
    /// Built binaries' sizes by root, when asked for.
    pub sizes: &'a BTreeMap<String, u64>,
}

/// What changed from `base` to `head`.
pub fn diff(base: &Side, head: &Side) -> ProgramDiff {
    let (big, hig) = (ImportGraph::of(base.prog), ImportGraph::of(head.prog));
    let before = figures(base.prog, &big, base.measurements, base.sizes);
    let after = figures(head.prog, &hig, head.measurements, head.sizes);
    let linked = |prog: &Program, reach: &[bool]| -> BTreeSet<String> {
        (0..prog.packages.len()).filter(|&i| reach[i]).map(|i| prog.packages[i].path.clone()).collect()
    };
    let mut roots: Vec<&String> = head.prog.roots.iter().map(|&r| &head.prog.package(r).path).collect();
    roots.extend(base.prog.roots.iter().map(|&r| &base.prog.package(r).path).filter(|p| !after.contains_key(*p)));
    let binaries = roots
        .into_iter()
        .map(|root| {
            let b = before.get(root);
            let a = after.get(root);
            let (old, new) = (
                b.map(|(_, reach, _)| linked(base.prog, reach)).unwrap_or_default(),
                a.map(|(_, reach, _)| linked(head.prog, reach)).unwrap_or_default(),
            );
            let added: BTreeSet<String> = new.difference(&old).cloned().collect();
            let removed: BTreeSet<String> = old.difference(&new).cloned().collect();
            BinaryDiff {
                root: root.clone(),
                before: b.map(|x| x.2),
                after: a.map(|x| x.2),
                added: match (b, a) {
                    (Some(_), Some((_, reach, _))) => entry_edges(head.prog, reach, &added),
                    _ => Vec::new(),
                },
                removed: match (b, a) {
                    (Some((_, reach, _)), Some(_)) => entry_edges(base.prog, reach, &removed),
                    _ => Vec::new(),
                },
            }
        })
        .collect();
    let opts = FindingsOptions { min_packages: crate::report::FINDINGS_MIN_PACKAGES, ..FindingsOptions::default() };
    // A finding is new when the base has none of its kind about the same
    // package at the same place, or when it now concerns more binaries.
    let key = |d: &Diagnostic| {
        let at = d.location.as_ref().map(|l| (l.file.clone(), l.line));
        (d.code.as_str(), at, d.chain.last().map(|h| h.package.clone()))
    };
    let base_findings = collect(base.prog, &opts, None);
    let had: BTreeMap<_, &Diagnostic> = base_findings.diagnostics().map(|d| (key(d), d)).collect();
    let new_findings = collect(head.prog, &opts, None)
        .diagnostics()
        .filter(|d| d.code != crate::Code::EagerInit)
        .filter(|d| had.get(&key(d)).is_none_or(|old| d.binaries.iter().any(|b| !old.binaries.contains(b))))
        .cloned()
        .collect();
    ProgramDiff { binaries, new_findings }
}
