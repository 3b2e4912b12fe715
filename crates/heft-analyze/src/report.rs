//! The one-command report: per binary and for all of them together —
//! packages, what each binary has to itself, the best cuts — and the
//! heaviest dependency modules with the cheapest way to drop them.

use heft_load::{PkgId, Program};
use heft_measure::Measurement;
use serde::Serialize;

use crate::cuts::{CutRow, rank_cuts};
use crate::evict::plan_eviction;
use crate::findings::{Findings, FindingsOptions, collect};
use crate::graph::ImportGraph;
use crate::weights::Weights;

/// The dependency modules the report looks at, heaviest first.
pub const HEAVIEST_MODULES: usize = 6;

/// The imports of a plan the report lists (the rest are counted; `heft
/// evict` lists them all).
pub const PLAN_EDGES_SHOWN: usize = 3;

/// Constant-only imports are findings of the report when their cut frees
/// this many packages.
pub const FINDINGS_MIN_PACKAGES: u32 = 3;

/// What the report says about one binary (or all of them together).
pub struct BinarySummary {
    /// The root's import path, or "all together".
    pub name: String,
    /// A root that is not a main package, analyzed because it was named.
    pub library: bool,
    /// Packages linked.
    pub packages: u64,
    /// Source bytes linked.
    pub source: u64,
    /// Packages no other root links (None for the union).
    pub exclusive: Option<u64>,
    /// The best cuts.
    pub cuts: Vec<CutRow>,
    /// From `heft measure`, when given.
    pub measured: Option<Measured>,
}

impl BinarySummary {
    /// The name as shown, marked when the root is a library.
    pub fn label(&self) -> String {
        if self.library { format!("{} (library)", self.name) } else { self.name.clone() }
    }
}

/// A binary's start-up numbers, as maintainers publish them.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Measured {
    /// Live heap at the end of init.
    pub heap_live: Option<u64>,
    /// Live heap objects at the end of init.
    pub heap_objects: Option<u64>,
    /// Allocations up to the end of init.
    pub mallocs: Option<u64>,
    /// Bytes allocated up to the end of init.
    pub total_alloc: Option<u64>,
    /// The measured binary's size.
    pub binary_size: u64,
}

/// A heavy dependency module and the cheapest plan that drops it.
pub struct ModulePlan {
    /// The module path.
    pub path: String,
    /// Its selected version.
    pub version: String,
    /// Packages of it linked.
    pub packages: u64,
    /// Source bytes of it linked.
    pub source: u64,
    /// The cheapest plan (edges to cut, packages removed), whatever its
    /// size; None when the user's imports cannot free the module.
    pub plan: Option<(Vec<u32>, u64)>,
    /// When the plan takes most of the user's own packages with it (it cuts
    /// the program's structure, not a dependency): how many of how many.
    pub structural: Option<(u64, u64)>,
}

/// The report's content.
pub struct Report {
    /// One summary per root.
    pub binaries: Vec<BinarySummary>,
    /// All roots together, when there are several.
    pub all: Option<BinarySummary>,
    /// The heaviest dependency modules.
    pub modules: Vec<ModulePlan>,
    /// Findings in the user's own code, unless left out.
    pub findings: Option<Findings>,
    /// Files that could not be read.
    pub warnings: Vec<String>,
}

/// The report on every root of `prog`: `top` cuts each, and the findings
/// unless `no_findings`.
pub fn build(
    prog: &Program,
    ig: &ImportGraph,
    weights: &Weights,
    measurements: &Measurement,
    top: usize,
    no_findings: bool,
) -> Report {
    let measured = |root: &str| {
        measurements.binaries.iter().find(|b| b.package == root).map(|b| Measured {
            heap_live: b.heap_live,
            heap_objects: b.heap_objects,
            mallocs: b.mallocs,
            total_alloc: b.total_alloc,
            binary_size: b.binary_size,
        })
    };
    let reach: Vec<Vec<bool>> = prog.roots.iter().map(|&r| ig.graph.reachable_from(&[r])).collect();
    let count = |set: &dyn Fn(usize) -> bool, w: &[u64]| {
        (0..prog.packages.len()).filter(|&i| set(i)).map(|i| w[i]).sum::<u64>()
    };
    let top_cuts = |roots: &[PkgId]| {
        let mut cuts = rank_cuts(prog, ig, roots, weights, false, false);
        cuts.truncate(crate::top(top, cuts.len()));
        cuts
    };
    let mut binaries = Vec::new();
    for (k, &root) in prog.roots.iter().enumerate() {
        let mine = |i: usize| reach[k][i];
        let only_mine = |i: usize| reach[k][i] && reach.iter().enumerate().all(|(j, r)| j == k || !r[i]);
        binaries.push(BinarySummary {
            name: prog.package(root).path.clone(),
            library: prog.package(root).name != "main",
            packages: count(&mine, &weights.packages),
            source: count(&mine, &weights.source),
            exclusive: Some(count(&only_mine, &weights.packages)),
            cuts: top_cuts(&[root]),
            measured: measured(&prog.package(root).path),
        });
    }
    let all = (prog.roots.len() > 1).then(|| BinarySummary {
        name: "all together".to_string(),
        library: false,
        packages: prog.packages.len() as u64,
        source: weights.source.iter().sum(),
        exclusive: None,
        cuts: top_cuts(&prog.roots),
        measured: None,
    });
    let mut warnings = Vec::new();
    let modules = heaviest_modules(prog, ig, weights, HEAVIEST_MODULES, &mut warnings);
    // The report looks for eager initialization in the user's own code only
    // (`heft findings` looks everywhere).
    let findings = (!no_findings).then(|| {
        let opts = FindingsOptions { min_packages: FINDINGS_MIN_PACKAGES, ..FindingsOptions::default() };
        let mut f = collect(prog, &opts, Some(measurements));
        warnings.append(&mut f.warnings);
        f
    });
    Report { binaries, all, modules, findings, warnings }
}

/// The dependency modules linking the most packages, each with its cheapest
/// eviction plan if a short one exists.
fn heaviest_modules(
    prog: &Program,
    ig: &ImportGraph,
    weights: &Weights,
    top: usize,
    warnings: &mut Vec<String>,
) -> Vec<ModulePlan> {
    let mut per_module: Vec<(u64, u64, Vec<PkgId>)> = vec![(0, 0, Vec::new()); prog.modules.list.len()];
    for (id, p) in prog.packages.iter().enumerate() {
        if let Some(m) = p.module.filter(|&m| !prog.modules.list[m as usize].main) {
            let slot = &mut per_module[m as usize];
            slot.0 += 1;
            slot.1 += weights.source[id];
            slot.2.push(id as PkgId);
        }
    }
    let mut order: Vec<usize> = (0..per_module.len()).filter(|&m| per_module[m].0 > 0).collect();
    order.sort_by_key(|&m| std::cmp::Reverse((per_module[m].0, per_module[m].1)));
    order.truncate(top);
    order
        .into_iter()
        .map(|m| {
            let module = &prog.modules.list[m];
            let (packages, source, targets) = &per_module[m];
            let eviction = plan_eviction(prog, ig, &prog.roots, &module.path, targets, false, false, warnings)
                .ok()
                .filter(|ev| !ev.plan.edges.is_empty());
            let structural = eviction.as_ref().and_then(|ev| ev.takes_structure(prog));
            let plan = eviction.map(|ev| (ev.plan.edges, ev.removed.len() as u64));
            ModulePlan {
                path: module.path.clone(),
                version: module.version.clone().unwrap_or_default(),
                packages: *packages,
                source: *source,
                plan,
                structural,
            }
        })
        .collect()
}
