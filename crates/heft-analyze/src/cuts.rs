//! Ranked cuts: the import edges (or module edges, or packages) whose
//! removal frees the most, and what each importer uses of what it imports.

use std::collections::{BTreeSet, HashMap};

use heft_graph::cuts::Cuts;
use heft_load::{PkgId, Program};
use heft_syntax::Anatomy;

use crate::graph::{ImportGraph, ModuleGraph, cuttable, user_owned};
use crate::weights::Weights;

/// One proposed cut: an import edge and what removing it frees.
pub struct CutRow {
    /// The import edge.
    pub edge: u32,
    /// The importer is not in the user's modules (cut by upgrading,
    /// replacing or forking the dependency).
    pub in_dependency: bool,
    /// What the cut frees, heaviest first.
    pub removed: Vec<PkgId>,
    /// Packages freed.
    pub packages: u64,
    /// Source bytes freed.
    pub source: u64,
    /// The ranking weight's total (equal to packages or source for those).
    pub weight: u64,
    /// What the importer uses of the imported package, when looked at.
    pub anatomy: Option<Anatomy>,
    /// How to cut it, with the anatomy (checked against what the cut removes).
    pub recipe: Option<crate::recipe::Recipe>,
    /// How many distinct names of the imported package the importer writes
    /// (`b.Name`), when counted: the effort, without reading the imported package.
    pub uses: Option<u64>,
    /// The chain the edge is on (its head edge).
    pub chain: u32,
    /// Removed packages whose weight is zero (with --by binary: packages the
    /// linker dropped, whose cut saves no bytes).
    pub weightless: u64,
    /// Other edges of the same chain (each frees the same set less the
    /// packages between them), nearest the root first.
    pub alternatives: Vec<u32>,
    /// When the cut is the program's own structure, not weight to shed
    /// (such rows rank after every other).
    pub structure: Option<Structure>,
}

/// A cut that takes a part of the user's program with it rather than a
/// dependency. The imported package is the user's, and either the cut takes
/// most of the user's code the roots link, or the imported package is a
/// layer of the program: at least half of what the cut removes is the
/// user's (in packages or in source bytes), and it builds on at least as
/// much of the user's code again that stays linked. A library sits under
/// the program (what it imports goes with it); a part of the program sits
/// on top of the rest (`agent -> pipeline`, `root -> gist`). Never
/// structure: a blank import (the idiom for an optional plugin: dropping it
/// is the cut) and an import used for constants only (moving them is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Structure {
    /// Source bytes of the user's packages the cut removes.
    pub own_removed: u64,
    /// Source bytes of the user's packages the imported package imports,
    /// directly or not, that stay linked.
    pub own_kept: u64,
    /// Source bytes of all the user's packages the roots link.
    pub own_linked: u64,
}

impl Structure {
    /// The cut takes most of the user's code with it.
    pub fn takes_most(&self) -> bool {
        2 * self.own_removed > self.own_linked
    }
}

/// Tells program structure from weight to shed (see [`Structure`]).
struct StructureTest<'a> {
    prog: &'a Program,
    ig: &'a ImportGraph,
    source: &'a [u64],
    own: Vec<bool>,
    own_linked: u64,
}

impl<'a> StructureTest<'a> {
    fn new(prog: &'a Program, ig: &'a ImportGraph, weights: &'a Weights) -> Self {
        let own: Vec<bool> = prog.packages.iter().map(|p| user_owned(prog, p)).collect();
        let own_linked = (0..own.len()).filter(|&i| own[i]).map(|i| weights.source[i]).sum();
        StructureTest { prog, ig, source: &weights.source, own, own_linked }
    }

    /// The edges of `edges` that cut the program's structure: the graph
    /// test for each, then one read of what the importers use for those it
    /// marks (to leave out blank and constants-only imports).
    fn of_edges(&self, cuts: &Cuts, edges: &[u32]) -> HashMap<u32, Structure> {
        let marked: Vec<(u32, Structure)> = edges
            .iter()
            .filter_map(|&e| Some((e, self.in_graph(self.ig.graph.edge(e).1, cuts.edge_removal(e))?)))
            .collect();
        let pairs: Vec<(PkgId, PkgId)> = marked.iter().map(|&(e, _)| self.ig.graph.edge(e)).collect();
        let mut unread = Vec::new();
        let uses = qualified_uses(self.prog, &pairs, &mut unread);
        marked
            .into_iter()
            .zip(pairs.iter().zip(uses))
            .filter(|(_, ((_, b), names))| match names {
                // Blank: nothing written qualified (an unused import does not compile).
                Some(names) => !names.is_empty() && !self.constants_only(*b, names),
                None => true,
            })
            .map(|(marked, _)| marked)
            .collect()
    }

    /// The graph's side of [`Structure`] for an import of `imported` that
    /// removes `removed`.
    fn in_graph(&self, imported: PkgId, removed: &[PkgId]) -> Option<Structure> {
        if !self.own[imported as usize] {
            return None;
        }
        let bytes = |ids: &mut dyn Iterator<Item = usize>| ids.map(|i| self.source[i]).sum::<u64>();
        let own_removed = bytes(&mut removed.iter().map(|&id| id as usize).filter(|&i| self.own[i]));
        let all_removed = bytes(&mut removed.iter().map(|&id| id as usize));
        let own_packages = removed.iter().filter(|&&id| self.own[id as usize]).count();
        let mostly_own = 2 * own_packages >= removed.len() || 2 * own_removed >= all_removed;
        let takes_most = 2 * own_removed > self.own_linked;
        if !mostly_own && !takes_most {
            return None;
        }
        let mut gone = vec![false; self.own.len()];
        for &id in removed {
            gone[id as usize] = true;
        }
        let reach = self.ig.graph.reachable_from(&[imported]);
        let own_kept = bytes(&mut (0..reach.len()).filter(|&i| reach[i] && self.own[i] && !gone[i]));
        (takes_most || own_kept >= own_removed).then_some(Structure {
            own_removed,
            own_kept,
            own_linked: self.own_linked,
        })
    }

    /// Whether `names` (what an importer writes of `b`) are all constants of
    /// `b` (and their types), read as text; false when `b`'s files cannot
    /// be read (the anatomy says why).
    fn constants_only(&self, b: PkgId, names: &BTreeSet<String>) -> bool {
        let pb = self.prog.package(b);
        let files: Vec<String> = pb.source_files().map(str::to_string).collect();
        heft_syntax::all_constants_in_text(&pb.dir, &files, names).unwrap_or(false)
    }
}

/// Every cut that frees something, heaviest first and the program's own
/// structure last: one row per chain (the edge nearest the roots that is
/// not structure), or with `every_edge` one row per edge (the
/// other edges of its chain as alternatives; see [`cheapest_per_chain`]).
pub fn rank_cuts(
    prog: &Program,
    ig: &ImportGraph,
    roots: &[PkgId],
    weights: &Weights,
    include_deps: bool,
    every_edge: bool,
) -> Vec<CutRow> {
    let cuts = Cuts::new(&ig.graph, roots);
    let sums = cuts.edge_weights(&[&weights.packages, &weights.source, &weights.chosen]);
    let eligible = |e: u32| cuttable(prog, ig, roots, e, include_deps);
    // Each row's edge and its chain, then which of them are the program's
    // structure (one batched read), then the rows.
    let mut seen_chain = vec![false; ig.graph.edge_count()];
    let mut entries = Vec::new();
    for e in 0..ig.graph.edge_count() as u32 {
        if cuts.edge_removal_count(e) == 0 || !eligible(e) {
            continue;
        }
        let head = cuts.chain_head(e).unwrap_or(e);
        if std::mem::replace(&mut seen_chain[head as usize], true) && !every_edge {
            continue;
        }
        let mut chain: Vec<u32> = cuts.chain(e).into_iter().filter(|&c| eligible(c)).collect();
        if chain.is_empty() {
            chain.push(e);
        }
        entries.push((e, head, chain));
    }
    let tested: Vec<u32> = if every_edge {
        entries.iter().map(|(e, _, _)| *e).collect()
    } else {
        entries.iter().flat_map(|(_, _, chain)| chain.iter().copied()).collect()
    };
    let marked = StructureTest::new(prog, ig, weights).of_edges(&cuts, &tested);
    let mut rows = Vec::new();
    for (e, head, mut chain) in entries {
        // Of a chain, the edge nearest the roots that is not the program's
        // own structure.
        let edge =
            if every_edge { e } else { chain.iter().copied().find(|c| !marked.contains_key(c)).unwrap_or(chain[0]) };
        let structure = marked.get(&edge).copied();
        chain.retain(|&c| c != edge);
        let (p, _) = ig.import(prog, edge);
        // Heaviest first, then by source bytes (every package weighs one).
        let mut removed = cuts.edge_removal(edge).to_vec();
        removed.sort_by_key(|&id| std::cmp::Reverse((weights.chosen[id as usize], weights.source[id as usize])));
        let weightless = removed.iter().filter(|&&id| weights.chosen[id as usize] == 0).count() as u64;
        rows.push(CutRow {
            edge,
            in_dependency: !user_owned(prog, p),
            removed,
            packages: sums[0][edge as usize],
            source: sums[1][edge as usize],
            weight: sums[2][edge as usize],
            weightless,
            anatomy: None,
            recipe: None,
            uses: None,
            chain: head,
            alternatives: chain,
            structure,
        });
    }
    rows.sort_by(|a, b| {
        (a.structure.is_some(), b.weight, b.packages, b.source)
            .cmp(&(b.structure.is_some(), a.weight, a.packages, a.source))
            .then(a.edge.cmp(&b.edge))
    });
    rows
}

/// A module-level cut: stop one module importing another.
pub struct ModuleCutRow {
    /// The module edge.
    pub edge: u32,
    /// The modules it frees.
    pub removed: Vec<u32>,
    /// Packages freed.
    pub packages: u64,
    /// Source bytes freed.
    pub source: u64,
    /// The ranking weight freed.
    pub weight: u64,
}

/// Every module-level cut that frees something, heaviest first.
pub fn rank_module_cuts(mg: &ModuleGraph, include_deps: bool) -> Vec<ModuleCutRow> {
    let cuts = Cuts::new(&mg.graph, &mg.roots);
    let sums = cuts.edge_weights(&[&mg.packages, &mg.source, &mg.chosen]);
    let std_node = mg.names.len() as u32 - 1;
    let mut rows: Vec<ModuleCutRow> = (0..mg.graph.edge_count() as u32)
        .filter(|&e| {
            let (a, _) = mg.graph.edge(e);
            cuts.edge_removal_count(e) > 0 && a != std_node && (include_deps || mg.user[a as usize])
        })
        .map(|e| ModuleCutRow {
            edge: e,
            removed: cuts.edge_removal(e).to_vec(),
            packages: sums[0][e as usize],
            source: sums[1][e as usize],
            weight: sums[2][e as usize],
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.weight, b.packages, b.source).cmp(&(a.weight, a.packages, a.source)).then(a.edge.cmp(&b.edge))
    });
    rows
}

/// What disappears with one package: its dominator subtree (what `goda
/// cut` ranks).
pub struct PackageCutRow {
    /// The package.
    pub package: PkgId,
    /// Packages, source bytes and the ranking weight that go with it.
    pub packages: u64,
    /// Source bytes that go with it.
    pub source: u64,
    /// The ranking weight that goes with it.
    pub weight: u64,
    /// The packages that go with it (itself included).
    pub removed: Vec<PkgId>,
}

/// Every package but the roots, by what disappears with it, heaviest first.
pub fn rank_package_cuts(prog: &Program, ig: &ImportGraph, weights: &Weights) -> Vec<PackageCutRow> {
    let cuts = Cuts::new(&ig.graph, &prog.roots);
    let sums = cuts.node_weights(&[&weights.packages, &weights.source, &weights.chosen]);
    let mut rows: Vec<PackageCutRow> = (0..prog.packages.len())
        .filter(|&v| !prog.roots.contains(&(v as PkgId)))
        .map(|v| PackageCutRow {
            package: v as PkgId,
            packages: sums[0][v],
            source: sums[1][v],
            weight: sums[2][v],
            removed: cuts.node_removal(v as u32).to_vec(),
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.weight, b.packages, b.source).cmp(&(a.weight, a.packages, a.source)).then(a.package.cmp(&b.package))
    });
    rows
}

/// What each importer uses of what it imports, for many (importer,
/// imported) pairs at once (parsed in parallel); an error where the files
/// could not be read. Of each imported package only the files that mention
/// a name its importers use are read (see heft_syntax::explain_edges_lean):
/// enough for the identifiers, their kinds and the recipe.
pub fn anatomies_of(prog: &Program, pairs: &[(PkgId, PkgId)]) -> Vec<Result<Anatomy, heft_syntax::Error>> {
    with_edge_files(prog, pairs, heft_syntax::explain_edges_lean)
}

/// The files of each (importer, imported) pair as heft-syntax reads them,
/// with the imported packages' names, handed to `read`.
fn with_edge_files<R>(
    prog: &Program,
    pairs: &[(PkgId, PkgId)],
    read: impl FnOnce(&[heft_syntax::EdgeFiles], &[&str]) -> R,
) -> R {
    let names = |p: &heft_load::Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    let files: Vec<(Vec<String>, Vec<String>)> =
        pairs.iter().map(|&(a, b)| (names(prog.package(a)), names(prog.package(b)))).collect();
    let requests: Vec<heft_syntax::EdgeFiles> = pairs
        .iter()
        .zip(&files)
        .map(|(&(a, b), (from_files, to_files))| heft_syntax::EdgeFiles {
            importer_dir: &prog.package(a).dir,
            importer_files: from_files,
            import_path: &prog.package(b).path,
            imported_dir: &prog.package(b).dir,
            imported_files: to_files,
        })
        .collect();
    let names: Vec<&str> = pairs.iter().map(|&(_, b)| prog.package(b).name.as_str()).collect();
    read(&requests, &names)
}

/// What `a` uses of `b`, read in full (every file of both): for one edge
/// explained in detail.
pub fn anatomy(prog: &Program, a: PkgId, b: PkgId) -> Result<Anatomy, heft_syntax::Error> {
    let files = |p: &heft_load::Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    let (pa, pb) = (prog.package(a), prog.package(b));
    heft_syntax::explain(&pa.dir, &files(pa), &pb.path, &pb.dir, &files(pb))
}

/// What cutting the import `a` → `b` would remove from the binaries of
/// `prog` (nothing when the edge does not exist).
pub fn removed_by(prog: &Program, ig: &ImportGraph, a: PkgId, b: PkgId) -> Vec<PkgId> {
    let Some(e) = ig.graph.edge_ids(a).find(|&e| ig.graph.edge(e).1 == b) else { return Vec::new() };
    Cuts::new(&ig.graph, &prog.roots).edge_removal(e).to_vec()
}

/// [`anatomies_of`] for import edges, the unreadable ones as warnings.
pub fn anatomies(prog: &Program, ig: &ImportGraph, edges: &[u32], warnings: &mut Vec<String>) -> Vec<Option<Anatomy>> {
    let pairs: Vec<(PkgId, PkgId)> = edges.iter().map(|&e| ig.graph.edge(e)).collect();
    or_warn(anatomies_of(prog, &pairs), warnings)
}

/// The anatomies that could be read; a warning for each that could not.
pub fn or_warn(results: Vec<Result<Anatomy, heft_syntax::Error>>, warnings: &mut Vec<String>) -> Vec<Option<Anatomy>> {
    results.into_iter().map(|r| r.map_err(|e| warnings.push(e.to_string())).ok()).collect()
}

/// How much work a cut is: the distinct identifiers the importer uses
/// (at least one, so that an unused import still costs its deletion).
pub fn effort(anatomy: Option<&Anatomy>) -> u64 {
    anatomy.map_or(1, |a| a.counts.identifiers.max(1) as u64)
}

/// A row's effort: from its anatomy, else from the names counted.
fn row_effort(r: &CutRow) -> u64 {
    match (&r.anatomy, r.uses) {
        (Some(a), _) => effort(Some(a)),
        (None, Some(n)) => n.max(1),
        (None, None) => 1,
    }
}

/// The distinct names of `b` each importer `a` writes qualified (`b.Name`),
/// read from a's files that import b only; None where a dot-imports b or
/// its files could not be read (said in `warnings`).
pub fn qualified_uses(
    prog: &Program,
    pairs: &[(PkgId, PkgId)],
    warnings: &mut Vec<String>,
) -> Vec<Option<BTreeSet<String>>> {
    with_edge_files(prog, pairs, heft_syntax::qualified_uses)
        .into_iter()
        .map(|r| r.map_err(|e| warnings.push(e.to_string())).ok().flatten())
        .collect()
}

/// Counts what each row's importer writes of what it imports (its effort),
/// without reading the imported packages.
pub fn attach_uses(prog: &Program, ig: &ImportGraph, rows: &mut [CutRow], warnings: &mut Vec<String>) {
    let pairs: Vec<(PkgId, PkgId)> = rows.iter().map(|r| ig.graph.edge(r.edge)).collect();
    for (row, uses) in rows.iter_mut().zip(qualified_uses(prog, &pairs, warnings)) {
        row.uses = uses.map(|u| u.len() as u64);
    }
}

/// Looks at what each row's importer uses of what it imports.
pub fn attach_anatomy(prog: &Program, ig: &ImportGraph, rows: &mut [CutRow], warnings: &mut Vec<String>) {
    let edges: Vec<u32> = rows.iter().map(|r| r.edge).collect();
    for (row, anatomy) in rows.iter_mut().zip(anatomies(prog, ig, &edges, warnings)) {
        let (importer, b) = ig.graph.edge(row.edge);
        row.recipe = anatomy.as_ref().map(|a| crate::recipe::recipe_for_cut(prog, importer, b, a, &row.removed));
        row.anatomy = anatomy;
    }
}

/// From one row per edge (with its effort: anatomy or uses), the cheapest
/// edge of each chain, ranked by what it removes per identifier to rework.
pub fn cheapest_per_chain(mut rows: Vec<CutRow>) -> Vec<CutRow> {
    sort_by_cheapness(&mut rows);
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.chain));
    rows
}

/// Ranks rows by what they remove per identifier to rework, cheapest
/// first, the program's structure last (rows need their effort).
fn sort_by_cheapness(rows: &mut [CutRow]) {
    // a.weight / effort(a) > b.weight / effort(b), compared without division.
    rows.sort_by(|a, b| {
        let (ea, eb) = (row_effort(a) as u128, row_effort(b) as u128);
        (a.structure.is_some(), b.weight as u128 * ea)
            .cmp(&(b.structure.is_some(), a.weight as u128 * eb))
            .then(b.weight.cmp(&a.weight))
            .then(a.edge.cmp(&b.edge))
    });
}
