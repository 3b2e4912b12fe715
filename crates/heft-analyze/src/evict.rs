//! Eviction plans: the fewest imports to cut together so that a package (a
//! module, a path pattern) leaves the binaries.

use heft_graph::evict::{EvictError, Plan, UNCUTTABLE, evict_near_targets, reachable_without_edges};
use heft_load::{PkgId, Program};

use crate::cuts::qualified_uses;
use crate::graph::{ImportGraph, cuttable};

/// Why no plan frees the target.
#[derive(Debug, thiserror::Error)]
pub enum EvictionError {
    /// The target is one of the roots.
    #[error("{root} is itself a root")]
    TargetIsRoot {
        /// The root's import path.
        root: String,
    },
    /// Every path to the target goes through imports that cannot be cut.
    #[error(
        "{target} cannot be freed by cutting imports: it is reached only through imports that cannot be cut: {}{}",
        chain.join(" -> "),
        if *include_deps { "" } else { " (--include-deps allows cuts inside dependencies)" }
    )]
    Uncuttable {
        /// The target as named.
        target: String,
        /// One such path, as import paths.
        chain: Vec<String>,
        /// Whether cuts inside dependencies were allowed.
        include_deps: bool,
    },
}

/// The cost of cutting each edge: one for the user's own imports, and for
/// dependencies' imports when allowed. Never: std's imports, imports the
/// toolchain adds, and a command's imports of its own module (the
/// program's structure, see [`cuttable`]).
pub fn edge_costs(prog: &Program, ig: &ImportGraph, roots: &[PkgId], include_deps: bool) -> Vec<u64> {
    (0..ig.graph.edge_count() as u32)
        .map(|e| if cuttable(prog, ig, roots, e, include_deps) { 1 } else { UNCUTTABLE })
        .collect()
}

/// A plan and everything it removes.
pub struct Eviction {
    /// The edges to cut.
    pub plan: Plan,
    /// Weighed by effort: the identifiers each cut's importer uses of what
    /// it imports, in the order of `plan.edges` (empty for a plan that
    /// counts imports).
    pub effort: Vec<u64>,
    /// The packages that leave the binaries.
    pub removed: Vec<PkgId>,
}

impl Eviction {
    /// When the plan takes most of the user's own packages with it (it cuts
    /// the program's structure, not a dependency): how many of how many.
    pub fn takes_structure(&self, prog: &Program) -> Option<(u64, u64)> {
        let own = |id: &PkgId| crate::graph::user_owned(prog, prog.package(*id));
        let own_removed = self.removed.iter().filter(|id| own(id)).count() as u64;
        let own_packages = (0..prog.packages.len() as PkgId).filter(own).count() as u64;
        (2 * own_removed > own_packages).then_some((own_removed, own_packages))
    }
}

/// The plan that frees `targets` (named `target`) from `roots`: with `by_effort`, a cut
/// costs the identifiers its importer uses (read for the edges between the
/// roots and the targets only), so plans prefer the imports that are cheap
/// to cut; otherwise every cut costs one.
#[allow(clippy::too_many_arguments)]
pub fn plan_eviction(
    prog: &Program,
    ig: &ImportGraph,
    roots: &[PkgId],
    target: &str,
    targets: &[PkgId],
    include_deps: bool,
    by_effort: bool,
    warnings: &mut Vec<String>,
) -> Result<Eviction, EvictionError> {
    let mut costs = edge_costs(prog, ig, roots, include_deps);
    if by_effort {
        let from_roots = ig.graph.reachable_from(roots);
        let to_targets = ig.graph.reversed().reachable_from(targets);
        let between: Vec<u32> = (0..costs.len() as u32)
            .filter(|&e| {
                let (a, b) = ig.graph.edge(e);
                costs[e as usize] != UNCUTTABLE && from_roots[a as usize] && to_targets[b as usize]
            })
            .collect();
        // Counted from the importers' files that hold the import sites.
        let pairs: Vec<(PkgId, PkgId)> = between.iter().map(|&e| ig.graph.edge(e)).collect();
        for (e, uses) in between.iter().zip(qualified_uses(prog, &pairs, warnings)) {
            costs[*e as usize] = uses.map_or(1, |u| (u.len() as u64).max(1));
        }
    }
    let plan = evict_near_targets(&ig.graph, roots, targets, &costs).map_err(|e| match e {
        EvictError::TargetIsRoot { target: t } => EvictionError::TargetIsRoot { root: prog.package(t).path.clone() },
        EvictError::Uncuttable { path } => EvictionError::Uncuttable {
            target: target.to_string(),
            chain: std::iter::once(ig.graph.edge(path[0]).0)
                .chain(path.iter().map(|&e| ig.graph.edge(e).1))
                .map(|id| prog.package(id).path.clone())
                .collect(),
            include_deps,
        },
    })?;
    let after = reachable_without_edges(&ig.graph, roots, &plan.edges);
    let before = ig.graph.reachable_from(roots);
    let removed = (0..prog.packages.len() as PkgId).filter(|&id| before[id as usize] && !after[id as usize]).collect();
    let effort = if by_effort { plan.edges.iter().map(|&e| costs[e as usize]).collect() } else { Vec::new() };
    Ok(Eviction { plan, effort, removed })
}

/// The plan to act on and the other kind of plan when it differs: by
/// default the one weighed by effort (the imports whose importers use the
/// least of the target side: what a maintainer would cut), else the one
/// with the fewest imports.
pub struct Plans {
    /// The plan shown first.
    pub chosen: Eviction,
    /// The other plan, when its imports differ.
    pub other: Option<Eviction>,
}

/// Both plans for `targets`; `fewest` puts the fewest-imports plan first.
#[allow(clippy::too_many_arguments)]
pub fn plans(
    prog: &Program,
    ig: &ImportGraph,
    roots: &[PkgId],
    target: &str,
    targets: &[PkgId],
    include_deps: bool,
    fewest: bool,
    warnings: &mut Vec<String>,
) -> Result<Plans, EvictionError> {
    let chosen = plan_eviction(prog, ig, roots, target, targets, include_deps, !fewest, warnings)?;
    let other = plan_eviction(prog, ig, roots, target, targets, include_deps, fewest, warnings)?;
    let other = (other.plan.edges != chosen.plan.edges).then_some(other);
    Ok(Plans { chosen, other })
}

/// What a plan frees, in every weight heft has for it: packages and source
/// always, init bytes and retained heap with measurements, binary bytes
/// with a size report of the binary.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Freed {
    /// Packages.
    pub packages: u64,
    /// Bytes of Go source.
    pub source_bytes: u64,
    /// Bytes their inits allocate (measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_bytes: Option<u64>,
    /// Heap their inits leave retained (measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heap_bytes: Option<u64>,
    /// Bytes in the binary, with their share of the function table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binary_bytes: Option<u64>,
}

/// The weights of `removed`.
pub fn freed(
    prog: &Program,
    removed: &[PkgId],
    measured: Option<&heft_measure::Measurement>,
    binary: Option<&heft_gobin::SizeReport>,
) -> Freed {
    let sum = |by: &std::collections::HashMap<&str, u64>| {
        removed.iter().map(|&id| by.get(prog.package(id).path.as_str()).copied().unwrap_or(0)).sum::<u64>()
    };
    let measured = measured.filter(|m| !m.binaries.is_empty());
    let by_kind = |kind| {
        measured.map(|m| {
            let w = heft_measure::weights(m, kind);
            sum(&w.iter().map(|(k, v)| (k.as_str(), *v)).collect())
        })
    };
    Freed {
        packages: removed.len() as u64,
        source_bytes: removed.iter().map(|&id| prog.package(id).source_bytes).sum(),
        init_bytes: by_kind(heft_measure::WeightKind::InitBytes),
        heap_bytes: by_kind(heft_measure::WeightKind::Heap),
        binary_bytes: binary.map(|r| sum(&r.packages.iter().map(|g| (g.name.as_str(), g.total)).collect())),
    }
}
