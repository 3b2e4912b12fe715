//! The import graph of a loaded program, the same graph one level up
//! (modules), and which imports heft may propose to cut.

use heft_graph::Graph;
use heft_load::{Import, Package, PkgId, Program};

use crate::weights::Weights;

/// The program's import graph: node ids are package ids and the edges of
/// a node are its imports in order, so an edge id maps back to an import.
pub struct ImportGraph {
    /// The graph; node ids are package ids.
    pub graph: Graph,
}

impl ImportGraph {
    /// The import graph of `prog`.
    pub fn of(prog: &Program) -> ImportGraph {
        ImportGraph { graph: Graph::from_successors(prog.packages.iter().map(|p| p.imports.iter().map(|i| i.target))) }
    }

    /// The importing package and the import an edge stands for.
    pub fn import<'p>(&self, prog: &'p Program, edge: u32) -> (&'p Package, &'p Import) {
        let (from, _) = self.graph.edge(edge);
        let p = prog.package(from);
        (p, &p.imports[(edge - self.graph.edge_ids(from).start) as usize])
    }
}

/// Whether the user can change an importer: it is in a main module.
pub fn user_owned(prog: &Program, p: &Package) -> bool {
    p.module.is_some_and(|m| prog.modules.list[m as usize].main)
}

/// Whether heft proposes cutting an import: the user's own imports (and,
/// with `include_deps`, dependencies'), but never std's, never the ones
/// the toolchain adds, and never a command's import of its own module's
/// packages (that is the program's structure, not a dependency to shed).
pub fn cuttable(prog: &Program, ig: &ImportGraph, roots: &[PkgId], e: u32, include_deps: bool) -> bool {
    let (p, imp) = ig.import(prog, e);
    let structural = roots.contains(&ig.graph.edge(e).0) && user_owned(prog, prog.package(imp.target));
    !p.standard && !imp.implicit && !structural && (include_deps || user_owned(prog, p))
}

/// The graph one level up, for people who think in modules: each module is
/// a node (the standard library is one), and a module imports another when
/// any of its packages does.
pub struct ModuleGraph {
    /// The graph; node ids index `names`.
    pub graph: Graph,
    /// Module path per node ("std" for the standard library).
    pub names: Vec<String>,
    /// Whether a node is one of the user's modules.
    pub user: Vec<bool>,
    /// Packages, source bytes and the chosen weight per node (of the
    /// packages linked).
    pub packages: Vec<u64>,
    /// Source bytes per node.
    pub source: Vec<u64>,
    /// The ranking weight per node.
    pub chosen: Vec<u64>,
    /// The package import edges behind each module edge.
    pub imports: Vec<Vec<u32>>,
    /// The nodes of the roots' modules.
    pub roots: Vec<u32>,
}

impl ModuleGraph {
    /// The module graph of `prog`, weighed by `weights`.
    pub fn of(prog: &Program, ig: &ImportGraph, weights: &Weights) -> ModuleGraph {
        let std_node = prog.modules.list.len() as u32;
        let node = |p: &Package| p.module.unwrap_or(std_node);
        let n = std_node as usize + 1;
        let mut names: Vec<String> = prog.modules.list.iter().map(|m| m.path.clone()).collect();
        names.push("std".to_string());
        let user: Vec<bool> = prog.modules.list.iter().map(|m| m.main).chain([false]).collect();
        let (mut packages, mut source, mut chosen) = (vec![0u64; n], vec![0u64; n], vec![0u64; n]);
        for (id, p) in prog.packages.iter().enumerate() {
            packages[node(p) as usize] += 1;
            source[node(p) as usize] += p.source_bytes;
            chosen[node(p) as usize] += weights.chosen[id];
        }
        // Module edge (from, to) → the package edges behind it.
        let mut behind: std::collections::BTreeMap<(u32, u32), Vec<u32>> = Default::default();
        for e in 0..ig.graph.edge_count() as u32 {
            let (a, b) = ig.graph.edge(e);
            let (na, nb) = (node(prog.package(a)), node(prog.package(b)));
            if na != nb {
                behind.entry((na, nb)).or_default().push(e);
            }
        }
        let mut succ: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut imports = Vec::with_capacity(behind.len());
        for ((a, b), edges) in behind {
            succ[a as usize].push(b);
            imports.push(edges);
        }
        let mut roots: Vec<u32> = prog.roots.iter().map(|&r| node(prog.package(r))).collect();
        roots.sort_unstable();
        roots.dedup();
        ModuleGraph { graph: Graph::from_successors(succ), names, user, packages, source, chosen, imports, roots }
    }
}
