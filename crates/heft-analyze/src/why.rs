//! Why a package is linked: the import chains from a root to it.

use heft_graph::why::{Chains, all_chains, shortest_chain};
use heft_load::{PkgId, Program};

use crate::graph::ImportGraph;

/// The shortest chain from `root` to `target` (both loaded, so one exists
/// when `target` was loaded for `root`).
pub fn shortest(prog: &Program, root: PkgId, target: PkgId) -> Option<Vec<PkgId>> {
    shortest_chain(&ImportGraph::of(prog).graph, root, target)
}

/// Every chain from `root` to `target` when there are at most `limit`,
/// else the shortest ones and the graph of all of them.
pub fn all(prog: &Program, root: PkgId, target: PkgId, limit: usize) -> Chains {
    all_chains(&ImportGraph::of(prog).graph, root, target, limit)
}
