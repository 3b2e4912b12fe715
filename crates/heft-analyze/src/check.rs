//! `heft check`: the binaries against heft.toml's budgets and forbidden
//! dependencies, and against heft.lock's package lists — every violation a
//! [`Diagnostic`] at the import that lets it in, with the chain from the
//! root and the cheapest cut.

use std::collections::BTreeSet;

use heft_load::{PkgId, Program};
use heft_measure::{BinaryMeasure, Measurement};

use crate::config::{Budget, Config, DEFAULT_TOLERANCE, Forbid, matches};
use crate::cuts::rank_cuts;
use crate::diagnostic::{Code, Diagnostic, Hop, Location, Severity, import_sites};
use crate::evict::plan_eviction;
use crate::graph::ImportGraph;
use crate::lock::{Lock, bfs_parents};
use crate::recipe::matches_pattern;
use crate::weights::{Weight, Weights};

/// What `heft check` checks against.
pub struct CheckInput<'a> {
    /// heft.toml.
    pub config: &'a Config,
    /// Measurements of the binaries, for the measured budgets.
    pub measurements: Option<&'a Measurement>,
    /// heft.lock, when there is one.
    pub lock: Option<&'a Lock>,
}

/// Every violation, by binary in root order.
pub struct CheckReport {
    /// The violations (and notes).
    pub diagnostics: Vec<Diagnostic>,
    /// The binaries checked.
    pub binaries: Vec<String>,
    /// What could not be checked, and files that could not be read.
    pub warnings: Vec<String>,
}

impl CheckReport {
    /// The violations that fail the check (errors).
    pub fn failures(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

/// Checks every root of `prog`.
pub fn check(prog: &Program, ig: &ImportGraph, input: &CheckInput) -> CheckReport {
    let mut report = CheckReport { diagnostics: Vec::new(), binaries: Vec::new(), warnings: Vec::new() };
    for &root in &prog.roots {
        report.binaries.push(prog.package(root).path.clone());
        let parents = bfs_parents(ig, root);
        let linked = |id: PkgId| id == root || parents[id as usize].is_some();
        for rule in &input.config.forbid {
            if in_scope(prog, root, &rule.binaries, input.config)
                && let Some(d) = forbidden(prog, ig, root, &parents, rule, input.config, &mut report.warnings)
            {
                report.diagnostics.push(d);
            }
        }
        for budget in input.config.binary.iter().filter(|b| matches(prog, root, b.root.get_ref(), &input.config.dir)) {
            let measured =
                input.measurements.and_then(|m| m.binaries.iter().find(|b| b.package == prog.package(root).path));
            if budget.needs_measurement() && measured.is_none() {
                report.warnings.push(format!(
                    "{}: no measurement, its init and binary budgets are not checked",
                    prog.package(root).path
                ));
            }
            let packages = (0..prog.packages.len() as PkgId).filter(|&id| linked(id)).count() as u64;
            report.diagnostics.extend(over_budget(prog, ig, root, budget, packages, measured, input.measurements));
        }
        if let Some(lock) = input.lock {
            report.diagnostics.extend(against_lock(prog, root, &parents, lock));
        }
    }
    report
}

fn in_scope(prog: &Program, root: PkgId, binaries: &[toml::Spanned<String>], config: &Config) -> bool {
    binaries.is_empty() || binaries.iter().any(|b| matches(prog, root, b.get_ref(), &config.dir))
}

/// Where a root's binary starts: its first file's first line.
fn root_location(prog: &Program, root: PkgId) -> Option<Location> {
    let first = prog.package(root).source_files().next()?;
    Some(Location::new(prog, root, first, 1, 1))
}

/// The chain from the root to `id` along the breadth-first parents.
fn chain_to(parents: &[Option<PkgId>], id: PkgId) -> Vec<PkgId> {
    let mut chain = vec![id];
    while let Some(p) = parents[*chain.last().expect("never empty") as usize] {
        chain.push(p);
    }
    chain.reverse();
    chain
}

/// `A -> B (file:line)` of an import edge.
fn edge_text(prog: &Program, a: PkgId, b: PkgId) -> String {
    let at =
        import_sites(prog, a, b).into_iter().next().map(|l| format!(" ({}:{})", l.file, l.line)).unwrap_or_default();
    format!("{} -> {}{at}", prog.package(a).path, prog.package(b).path)
}

fn forbidden(
    prog: &Program,
    ig: &ImportGraph,
    root: PkgId,
    parents: &[Option<PkgId>],
    rule: &Forbid,
    config: &Config,
    warnings: &mut Vec<String>,
) -> Option<Diagnostic> {
    let module_of = |id: PkgId| prog.package(id).module.map(|m| prog.modules.list[m as usize].path.as_str());
    let allowed = |id: PkgId| {
        config.allow.iter().any(|a| {
            matches_pattern(a.package.get_ref(), &prog.package(id).path) && in_scope(prog, root, &a.binaries, config)
        })
    };
    let hit: Vec<PkgId> = (0..prog.packages.len() as PkgId)
        .filter(|&id| id != root && parents[id as usize].is_some())
        .filter(|&id| {
            let path = &prog.package(id).path;
            rule.packages.iter().any(|p| matches_pattern(p.get_ref(), path))
                || rule.modules.iter().any(|m| module_of(id) == Some(m.get_ref().as_str()))
        })
        .filter(|&id| !allowed(id))
        .collect();
    // The first forbidden package on a shortest chain: where it comes in.
    let first = *hit.iter().min_by_key(|&&id| (chain_to(parents, id).len(), &prog.package(id).path))?;
    let chain = chain_to(parents, first);
    let importer = chain[chain.len() - 2];
    let root_path = &prog.package(root).path;
    let more = if hit.len() > 1 { format!(" and {} more forbidden package(s)", hit.len() - 1) } else { String::new() };
    let mut recipe = Vec::new();
    let mut removes = Vec::new();
    match plan_eviction(prog, ig, &[root], &prog.package(first).path, &hit, true, false, warnings) {
        Ok(ev) => {
            let cuts: Vec<String> =
                ev.plan.edges.iter().map(|&e| ig.graph.edge(e)).map(|(a, b)| edge_text(prog, a, b)).collect();
            recipe.push(format!("cheapest cut: {} (frees {} package(s))", cuts.join("; "), ev.removed.len()));
            removes = ev.removed.iter().map(|&id| prog.package(id).path.clone()).collect();
        }
        Err(e) => warnings.push(e.to_string()),
    }
    if let Some(instead) = &rule.use_instead {
        recipe.push(format!("use instead: {instead}"));
    }
    Some(Diagnostic {
        code: Code::ForbiddenDependency,
        severity: Severity::Error,
        message: format!("{root_path} links {}{more}: {}", prog.package(first).path, rule.reason),
        location: import_sites(prog, importer, first).into_iter().next(),
        binaries: vec![root_path.clone()],
        chain: Hop::chain(prog, &chain),
        recipe: (!recipe.is_empty()).then(|| recipe.join("; ")),
        related: Vec::new(),
        removes,
    })
}

/// One budgeted figure of a binary.
struct Figure {
    what: &'static str,
    value: u64,
    max: u64,
    tolerance: f64,
    show: fn(u64) -> String,
    /// The weight whose heaviest cut helps most.
    by: Weight,
}

/// The budget's figures that are over, with the tolerance of measured
/// figures, each with the cut that frees the most.
fn over_budget(
    prog: &Program,
    ig: &ImportGraph,
    root: PkgId,
    budget: &Budget,
    packages: u64,
    measured: Option<&BinaryMeasure>,
    measurements: Option<&Measurement>,
) -> Vec<Diagnostic> {
    let tolerance = budget.tolerance.unwrap_or(DEFAULT_TOLERANCE);
    let bytes = crate::human_bytes;
    let count = |n: u64| n.to_string();
    let mut figures = Vec::new();
    if let Some(max) = budget.packages {
        let by = Weight::Packages;
        figures.push(Figure { what: "linked packages", value: packages, max, tolerance: 0.0, show: count, by });
    }
    if let Some(m) = measured {
        if let (Some(max), Some(value)) = (budget.init_heap, m.heap_live) {
            let what = "heap at the end of init";
            figures.push(Figure { what, value, max, tolerance, show: bytes, by: Weight::Heap });
        }
        if let (Some(max), Some(value)) = (budget.init_allocs, m.mallocs) {
            let what = "allocations up to the end of init";
            figures.push(Figure { what, value, max, tolerance, show: count, by: Weight::InitAllocs });
        }
        if let Some(max) = budget.binary_size {
            let value = m.binary_size;
            figures.push(Figure { what: "binary size", value, max, tolerance, show: bytes, by: Weight::Packages });
        }
    }
    let root_path = &prog.package(root).path;
    figures
        .into_iter()
        .filter(|f| f.value as f64 > f.max as f64 * (1.0 + f.tolerance))
        .map(|Figure { what, value, max, tolerance, show, by }| {
            let slack =
                if tolerance > 0.0 { format!(" (+{:.0}% tolerance)", tolerance * 100.0) } else { String::new() };
            let weights = Weights::new(prog, by, measurements, None).unwrap_or_else(|_| Weights::of(prog));
            let best = rank_cuts(prog, ig, &[root], &weights, false, false).into_iter().next();
            let recipe = best.map(|c| {
                let (a, b) = ig.graph.edge(c.edge);
                format!("the cut that frees the most: {} (frees {} package(s))", edge_text(prog, a, b), c.packages)
            });
            Diagnostic {
                code: Code::BudgetExceeded,
                severity: Severity::Error,
                message: format!("{root_path}: {what} {} over the budget of {}{slack}", show(value), show(max)),
                location: root_location(prog, root),
                binaries: vec![root_path.clone()],
                chain: Vec::new(),
                recipe,
                related: Vec::new(),
                removes: Vec::new(),
            }
        })
        .collect()
}

/// Packages the root links that heft.lock does not list, one diagnostic
/// per import that lets them in; and a note for listed packages no longer
/// linked.
fn against_lock(prog: &Program, root: PkgId, parents: &[Option<PkgId>], lock: &Lock) -> Vec<Diagnostic> {
    let root_path = &prog.package(root).path;
    let Some(listed) = lock.binaries.get(root_path) else {
        return vec![Diagnostic {
            code: Code::NewDependency,
            severity: Severity::Error,
            message: format!("{root_path} is not in heft.lock"),
            location: root_location(prog, root),
            binaries: vec![root_path.clone()],
            chain: Vec::new(),
            recipe: Some("add it with `heft lock --update`".to_string()),
            related: Vec::new(),
            removes: Vec::new(),
        }];
    };
    let linked = |id: PkgId| id == root || parents[id as usize].is_some();
    let is_new = |id: PkgId| id != root && linked(id) && !listed.contains_key(&prog.package(id).path);
    let mut out = Vec::new();
    let mut new: Vec<PkgId> = (0..prog.packages.len() as PkgId).filter(|&id| is_new(id)).collect();
    new.sort_by(|&a, &b| prog.package(a).path.cmp(&prog.package(b).path));
    for &b in &new {
        for (a, importer) in prog.packages.iter().enumerate() {
            let a = a as PkgId;
            if !linked(a) || is_new(a) || !importer.imports.iter().any(|i| i.target == b) {
                continue;
            }
            // Everything new that comes in through b.
            let mut brought = BTreeSet::from([prog.package(b).path.clone()]);
            let mut stack = vec![b];
            let mut seen = vec![false; prog.packages.len()];
            seen[b as usize] = true;
            while let Some(v) = stack.pop() {
                for imp in &prog.package(v).imports {
                    if is_new(imp.target) && !std::mem::replace(&mut seen[imp.target as usize], true) {
                        brought.insert(prog.package(imp.target).path.clone());
                        stack.push(imp.target);
                    }
                }
            }
            let mut chain = chain_to(parents, a);
            chain.push(b);
            out.push(Diagnostic {
                code: Code::NewDependency,
                severity: Severity::Error,
                message: format!(
                    "{} -> {} brings {} package(s) heft.lock does not list into {root_path}",
                    importer.path,
                    prog.package(b).path,
                    brought.len()
                ),
                location: import_sites(prog, a, b).into_iter().next(),
                binaries: vec![root_path.clone()],
                chain: Hop::chain(prog, &chain),
                recipe: Some("cut the import, or accept the packages with `heft lock --update`".to_string()),
                related: Vec::new(),
                removes: brought.into_iter().collect(),
            });
        }
    }
    let gone: Vec<&String> = listed.keys().filter(|p| prog.lookup(p).is_none_or(|id| !linked(id))).collect();
    if !gone.is_empty() {
        let shown: Vec<&str> = gone.iter().take(5).map(|s| s.as_str()).collect();
        let more = if gone.len() > 5 { format!(", +{} more", gone.len() - 5) } else { String::new() };
        out.push(Diagnostic {
            code: Code::StaleLock,
            severity: Severity::Note,
            message: format!(
                "heft.lock lists {} package(s) {root_path} no longer links: {}{more}",
                gone.len(),
                shown.join(", ")
            ),
            location: None,
            binaries: vec![root_path.clone()],
            chain: Vec::new(),
            recipe: Some("drop them with `heft lock --update`".to_string()),
            related: Vec::new(),
            removes: Vec::new(),
        });
    }
    out
}
