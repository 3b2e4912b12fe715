//! From a loaded program to the numbers heft reports: the import graph,
//! weights per package, and the ranked cuts.

use heft_graph::Graph;
use heft_graph::cuts::Cuts;
use heft_load::{Import, Package, PkgId, Program};

/// What a cut is measured by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weight {
    /// Packages removed.
    Packages,
    /// Bytes of Go source removed (GoFiles and CgoFiles).
    Source,
    /// Bytes allocated by package init (needs `heft measure`).
    InitBytes,
    /// Allocations by package init (needs `heft measure`).
    InitAllocs,
    /// Heap retained after init (needs `heft measure`).
    Heap,
    /// Bytes in the binary (needs `heft size`).
    Binary,
    /// Packages removed per identifier the importer uses: the cheapest cuts first.
    Cheap,
}

impl Weight {
    fn name(self) -> String {
        clap::ValueEnum::to_possible_value(&self).map(|v| v.get_name().to_string()).unwrap_or_default()
    }

    /// The kind of measurement this weight is read from, if any.
    fn measured(self) -> Option<heft_measure::WeightKind> {
        match self {
            Weight::InitBytes => Some(heft_measure::WeightKind::InitBytes),
            Weight::InitAllocs => Some(heft_measure::WeightKind::InitAllocs),
            Weight::Heap => Some(heft_measure::WeightKind::Heap),
            Weight::Packages | Weight::Source | Weight::Binary | Weight::Cheap => None,
        }
    }
}

/// Where measured weights come from.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct WeightSources {
    /// A saved `heft measure --json`, for --by init-bytes|init-allocs|heap; repeatable (one file per binary).
    #[arg(long, value_name = "FILE")]
    pub measurements: Vec<std::path::PathBuf>,
    /// A binary built from the same roots (or a saved `heft size --json`), for --by binary.
    #[arg(long, value_name = "FILE")]
    pub binary: Option<std::path::PathBuf>,
}

/// The weight of every package: packages (one each), source bytes, and the
/// chosen one (the same as one of those, or measured).
pub struct Weights {
    pub packages: Vec<u64>,
    pub source: Vec<u64>,
    pub chosen: Vec<u64>,
}

impl Weights {
    /// `measurements` are saved `heft measure --json` files, needed for the
    /// measured weights; `binary` a binary built from the same roots (or a
    /// saved `heft size --json`), needed for `--by binary`.
    pub fn new(prog: &Program, by: Weight, sources: &WeightSources) -> anyhow::Result<Weights> {
        let packages = vec![1; prog.packages.len()];
        let source: Vec<u64> = prog.packages.iter().map(|p| p.source_bytes).collect();
        let chosen = match (by, by.measured()) {
            (Weight::Packages | Weight::Cheap, _) => packages.clone(),
            (Weight::Source, _) => source.clone(),
            (_, Some(kind)) => {
                if sources.measurements.is_empty() {
                    anyhow::bail!(
                        "--by {} needs measurements: save them with `heft measure --json ROOT... > m.json` and pass --measurements m.json",
                        by.name()
                    );
                }
                let by_path = heft_measure::weights(&heft_measure::read_saved(&sources.measurements)?, kind);
                prog.packages.iter().map(|p| by_path.get(&p.path).copied().unwrap_or(0)).collect()
            }
            (Weight::Binary, _) => {
                let Some(file) = &sources.binary else {
                    anyhow::bail!(
                        "--by binary needs the binary: build it from the same root (go build -o app ./cmd/x) and pass --binary app"
                    );
                };
                let report = crate::size::load(file)?;
                let bytes: std::collections::HashMap<&str, u64> =
                    report.packages.iter().map(|g| (g.name.as_str(), g.total)).collect();
                prog.packages.iter().map(|p| bytes.get(p.path.as_str()).copied().unwrap_or(0)).collect()
            }
            (_, None) => unreachable!("every weight has a source"),
        };
        Ok(Weights { packages, source, chosen })
    }

    /// Source-only weights (packages and source bytes).
    pub fn of(prog: &Program) -> Weights {
        Weights::new(prog, Weight::Packages, &WeightSources::default()).expect("source weights need no measurements")
    }
}

/// The program's import graph: node ids are package ids and the edges of
/// a node are its imports in order, so an edge id maps back to an import.
pub struct ImportGraph {
    pub graph: Graph,
}

impl ImportGraph {
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

/// One proposed cut: an import edge and what removing it frees.
pub struct CutRow {
    pub edge: u32,
    /// The importer is not in the user's modules (cut by upgrading,
    /// replacing or forking the dependency).
    pub in_dependency: bool,
    pub removed: Vec<PkgId>,
    pub packages: u64,
    pub source: u64,
    /// The ranking weight's total (equal to packages or source for those).
    pub weight: u64,
    /// What the importer uses of the imported package, when looked at.
    pub anatomy: Option<heft_syntax::Anatomy>,
    /// The chain the edge is on (its head edge).
    pub chain: u32,
    /// Removed packages whose weight is zero (with --by binary: packages the
    /// linker dropped, whose cut saves no bytes).
    pub weightless: u64,
    /// Other edges of the same chain (each frees the same set less the
    /// packages between them), nearest the root first.
    pub alternatives: Vec<u32>,
}

/// Every cut that frees something, heaviest first: one row per chain (the
/// edge nearest the roots), or with `every_edge` one row per edge (the
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
    let mut seen_chain = vec![false; ig.graph.edge_count()];
    let mut rows = Vec::new();
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
        let edge = if every_edge { e } else { chain[0] };
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
            chain: head,
            alternatives: chain,
        });
    }
    rows.sort_by(|a, b| {
        (b.weight, b.packages, b.source).cmp(&(a.weight, a.packages, a.source)).then(a.edge.cmp(&b.edge))
    });
    rows
}

/// Human-sized bytes: 512 B, 12.3 kB, 4.5 MB.
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
}

/// The graph one level up, for people who think in modules: each module is
/// a node (the standard library is one), and a module imports another when
/// any of its packages does.
pub struct ModuleGraph {
    pub graph: Graph,
    /// Module path per node ("std" for the standard library).
    pub names: Vec<String>,
    /// Whether a node is one of the user's modules.
    pub user: Vec<bool>,
    /// Packages, source bytes and the chosen weight per node (of the
    /// packages linked).
    pub packages: Vec<u64>,
    pub source: Vec<u64>,
    pub chosen: Vec<u64>,
    /// The package import edges behind each module edge.
    pub imports: Vec<Vec<u32>>,
    pub roots: Vec<u32>,
}

impl ModuleGraph {
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

/// A module-level cut: stop one module importing another.
pub struct ModuleCutRow {
    pub edge: u32,
    pub removed: Vec<u32>,
    pub packages: u64,
    pub source: u64,
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

/// The anatomy of many import edges at once (parsed lazily, in parallel):
/// what each importer uses of what it imports. None where the files could
/// not be read (said on stderr).
pub fn anatomies(prog: &Program, ig: &ImportGraph, edges: &[u32]) -> Vec<Option<heft_syntax::Anatomy>> {
    let pairs: Vec<(PkgId, PkgId)> = edges.iter().map(|&e| ig.graph.edge(e)).collect();
    anatomies_of(prog, &pairs)
}

/// [`anatomies`] for (importer, imported) pairs.
pub fn anatomies_of(prog: &Program, pairs: &[(PkgId, PkgId)]) -> Vec<Option<heft_syntax::Anatomy>> {
    let names = |p: &Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
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
    heft_syntax::explain_edges(&requests)
        .into_iter()
        .map(|r| r.map_err(|e| eprintln!("heft: warning: {e}")).ok())
        .collect()
}

/// How much work a cut is: the distinct identifiers the importer uses
/// (at least one, so that an unused import still costs its deletion).
pub fn effort(anatomy: Option<&heft_syntax::Anatomy>) -> u64 {
    anatomy.map_or(1, |a| a.counts.identifiers.max(1) as u64)
}

/// Looks at what each row's importer uses of what it imports.
pub fn attach_anatomy(prog: &Program, ig: &ImportGraph, rows: &mut [CutRow]) {
    let edges: Vec<u32> = rows.iter().map(|r| r.edge).collect();
    for (row, anatomy) in rows.iter_mut().zip(anatomies(prog, ig, &edges)) {
        row.anatomy = anatomy;
    }
}

/// From one row per edge (with anatomy), the cheapest edge of each chain,
/// ranked by what it removes per identifier to rework.
pub fn cheapest_per_chain(mut rows: Vec<CutRow>) -> Vec<CutRow> {
    sort_by_cheapness(&mut rows);
    let mut seen = std::collections::HashSet::new();
    rows.retain(|r| seen.insert(r.chain));
    rows
}

/// Ranks rows by what they remove per identifier to rework, cheapest
/// first (rows need their anatomy).
fn sort_by_cheapness(rows: &mut [CutRow]) {
    // a.weight / effort(a) > b.weight / effort(b), compared without division.
    rows.sort_by(|a, b| {
        let (ea, eb) = (effort(a.anatomy.as_ref()) as u128, effort(b.anatomy.as_ref()) as u128);
        (b.weight as u128 * ea).cmp(&(a.weight as u128 * eb)).then(b.weight.cmp(&a.weight)).then(a.edge.cmp(&b.edge))
    });
}
