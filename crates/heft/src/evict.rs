//! `heft evict`: the fewest imports to cut together so that a package (or a
//! whole module, or a path pattern) leaves the binary.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use heft_graph::evict::{EvictError, Plan, UNCUTTABLE, evict_near_targets, reachable_without_edges};
use heft_load::{PkgId, Program};
use serde::Serialize;

use crate::analysis::{ImportGraph, Weights, anatomies, cuttable, effort, human_bytes};
use crate::cuts::{EdgeJson, RemovesJson, edge_json, sites_text};
use crate::{LoadArgs, report_package_errors};

#[derive(Args, Debug)]
pub struct EvictArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Also allow cuts inside dependencies (by upgrading, replacing or forking them).
    #[arg(long)]
    pub include_deps: bool,
    /// Print JSON (schema: docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// Weigh each cut by the identifiers its importer uses (reads the code between roots and target).
    #[arg(long)]
    pub effort: bool,
    /// Main packages, then the target: an import path, a pattern (cloud.google.com/go/...) or a module path.
    #[arg(value_name = "ROOT... TARGET", required = true, num_args = 2..)]
    pub args: Vec<String>,
}

/// The cost of cutting each edge: one for the user's own imports, and for
/// dependencies' imports when allowed. Never: std's imports, imports the
/// toolchain adds, and a command's imports of its own module (the
/// program's structure, see [`crate::analysis::cuttable`]).
pub fn edge_costs(prog: &Program, ig: &ImportGraph, include_deps: bool) -> Vec<u64> {
    (0..ig.graph.edge_count() as u32)
        .map(|e| if cuttable(prog, ig, &prog.roots, e, include_deps) { 1 } else { UNCUTTABLE })
        .collect()
}

/// A plan and everything it removes.
pub struct Eviction {
    pub plan: Plan,
    pub removed: Vec<PkgId>,
}

/// With `by_effort`, a cut costs the identifiers its importer uses (read
/// for the edges between the roots and the targets only), so plans prefer
/// the imports that are cheap to cut; otherwise every cut costs one.
pub fn plan_eviction(
    prog: &Program,
    ig: &ImportGraph,
    targets: &[PkgId],
    include_deps: bool,
    by_effort: bool,
) -> Result<Eviction, EvictError> {
    let mut costs = edge_costs(prog, ig, include_deps);
    if by_effort {
        let from_roots = ig.graph.reachable_from(&prog.roots);
        let to_targets = ig.graph.reversed().reachable_from(targets);
        let between: Vec<u32> = (0..costs.len() as u32)
            .filter(|&e| {
                let (a, b) = ig.graph.edge(e);
                costs[e as usize] != UNCUTTABLE && from_roots[a as usize] && to_targets[b as usize]
            })
            .collect();
        for (e, anatomy) in between.iter().zip(anatomies(prog, ig, &between)) {
            costs[*e as usize] = effort(anatomy.as_ref());
        }
    }
    let plan = evict_near_targets(&ig.graph, &prog.roots, targets, &costs)?;
    let after = reachable_without_edges(&ig.graph, &prog.roots, &plan.edges);
    let before = ig.graph.reachable_from(&prog.roots);
    let removed = (0..prog.packages.len() as PkgId).filter(|&id| before[id as usize] && !after[id as usize]).collect();
    Ok(Eviction { plan, removed })
}

pub fn run(args: &EvictArgs) -> Result<ExitCode> {
    let (roots, target) = args.args.split_at(args.args.len() - 1);
    let target = &target[0];
    let prog = args.load.load_binaries(roots)?;
    if report_package_errors(&prog, args.load.keep_going) && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let targets = crate::select::packages(&prog, &args.load.dir, target)?;
    let ig = ImportGraph::of(&prog);
    let ev = match plan_eviction(&prog, &ig, &targets, args.include_deps, args.effort) {
        Ok(ev) => ev,
        Err(EvictError::TargetIsRoot { target: t }) => bail!("{} is itself a root", prog.package(t).path),
        Err(EvictError::Uncuttable { path }) => {
            let chain: Vec<String> = std::iter::once(ig.graph.edge(path[0]).0)
                .chain(path.iter().map(|&e| ig.graph.edge(e).1))
                .map(|id| prog.package(id).path.clone())
                .collect();
            let hint = if args.include_deps { "" } else { " (--include-deps allows cuts inside dependencies)" };
            bail!(
                "{target} cannot be freed by cutting imports: it is reached only through imports that cannot be cut: {}{hint}",
                chain.join(" -> ")
            );
        }
    };
    let weights = Weights::of(&prog);
    let source: u64 = ev.removed.iter().map(|&id| weights.source[id as usize]).sum();
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let doc = EvictJson {
            target,
            targets: targets.iter().map(|&id| prog.package(id).path.as_str()).collect(),
            cuts: ev.plan.edges.iter().map(|&e| edge_json(&prog, &ig, e)).collect(),
            removes: RemovesJson {
                packages: ev.removed.len() as u64,
                source_bytes: source,
                weight: None,
                zero_weight_packages: None,
            },
            removed: ev.removed.iter().map(|&id| prog.package(id).path.as_str()).collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        let n = ev.plan.edges.len();
        writeln!(
            out,
            "to free {target} ({} package{}), cut {n} import{}:",
            targets.len(),
            plural(targets.len()),
            plural(n)
        )?;
        for (i, &e) in ev.plan.edges.iter().enumerate() {
            let (from, imp) = ig.import(&prog, e);
            writeln!(out, "{:>3}. {} -> {}  at {}", i + 1, from.path, imp.path, sites_text(from, imp, &cwd))?;
        }
        writeln!(
            out,
            "this removes {} package{}, {} of source",
            ev.removed.len(),
            plural(ev.removed.len()),
            human_bytes(source)
        )?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[derive(Serialize)]
struct EvictJson<'a> {
    target: &'a str,
    targets: Vec<&'a str>,
    cuts: Vec<EdgeJson<'a>>,
    removes: RemovesJson,
    removed: Vec<&'a str>,
}
