//! `heft ROOT...`: the one-command report — per binary and for all of them
//! together: packages, what each binary has to itself, the best cuts, and
//! the heaviest dependency modules with the cheapest way to drop them.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_load::{PkgId, Program};
use serde::Serialize;

use crate::analysis::{CutRow, ImportGraph, Weight, WeightSources, Weights, human_bytes, rank_cuts};
use crate::cuts::{CutJson, EdgeJson, cut_json, edge_json, sites_text, write_cuts};
use crate::evict::plan_eviction;
use crate::{LoadArgs, report_package_errors};

/// Plans longer than this are not worth listing in the report.
const MAX_PLAN_EDGES: usize = 3;

/// Constant-only imports are findings when their cut frees this many packages.
const FINDINGS_MIN_PACKAGES: u32 = 3;

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Rank cuts by what they remove.
    #[arg(long, value_enum, default_value_t = Weight::Packages)]
    pub by: Weight,
    #[command(flatten)]
    pub weights: WeightSources,
    /// Cuts to show, for all binaries together and for each (0: all).
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Print JSON (schema: docs/json.md).
    #[arg(long, conflicts_with = "markdown")]
    pub json: bool,
    /// Print Markdown, for a pull request or an issue.
    #[arg(long)]
    pub markdown: bool,
    /// Leave out the findings (they read your code: the slow part on large programs).
    #[arg(long)]
    pub no_findings: bool,
    /// Main packages (each a binary); several are also analyzed together, as one busybox.
    #[arg(value_name = "ROOT")]
    pub roots: Vec<String>,
}

/// What the report says about one binary (or all of them together).
struct Binary {
    name: String,
    /// A root that is not a main package, analyzed because it was named.
    library: bool,
    packages: u64,
    source: u64,
    /// Packages no other root links (None for the union).
    exclusive: Option<u64>,
    cuts: Vec<CutRow>,
    /// From `heft measure`, when given.
    measured: Option<Measured>,
}

impl Binary {
    /// The name as shown, marked when the root is a library.
    fn label(&self) -> String {
        if self.library { format!("{} (library)", self.name) } else { self.name.clone() }
    }
}

/// A binary's start-up numbers, as maintainers publish them.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
struct Measured {
    heap_live: Option<u64>,
    heap_objects: Option<u64>,
    mallocs: Option<u64>,
    total_alloc: Option<u64>,
    binary_size: u64,
}

struct ModuleLine {
    path: String,
    version: String,
    packages: u64,
    source: u64,
    /// The cheapest plan, when it has at most MAX_PLAN_EDGES imports.
    plan: Option<(Vec<u32>, u64)>,
}

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    if args.roots.is_empty() {
        anyhow::bail!("name the main packages to report on, e.g. `heft ./cmd/...` (see heft --help)");
    }
    let prog = args.load.load_binaries(&args.roots)?;
    if report_package_errors(&prog, args.load.keep_going) && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let ig = ImportGraph::of(&prog);
    let weights = Weights::new(&prog, args.by, &args.weights)?;
    let saved = heft_measure::read_saved(&args.weights.measurements)?;
    let measurements = &saved.binaries;
    let measured = |root: &str| {
        measurements.iter().find(|b| b.package == root).map(|b| Measured {
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
    let mut binaries = Vec::new();
    for (k, &root) in prog.roots.iter().enumerate() {
        let mine = |i: usize| reach[k][i];
        let only_mine = |i: usize| reach[k][i] && reach.iter().enumerate().all(|(j, r)| j == k || !r[i]);
        let mut cuts = rank_cuts(&prog, &ig, &[root], &weights, false, false);
        cuts.truncate(crate::top(args.top, cuts.len()));
        binaries.push(Binary {
            name: prog.package(root).path.clone(),
            library: prog.package(root).name != "main",
            packages: count(&mine, &weights.packages),
            source: count(&mine, &weights.source),
            exclusive: Some(count(&only_mine, &weights.packages)),
            cuts,
            measured: measured(&prog.package(root).path),
        });
    }
    let all = if prog.roots.len() > 1 {
        let mut cuts = rank_cuts(&prog, &ig, &prog.roots, &weights, false, false);
        cuts.truncate(crate::top(args.top, cuts.len()));
        Some(Binary {
            name: "all together".to_string(),
            library: false,
            packages: prog.packages.len() as u64,
            source: weights.source.iter().sum(),
            exclusive: None,
            cuts,
            measured: None,
        })
    } else {
        None
    };
    let modules = heaviest_modules(&prog, &ig, &weights, 10);
    // The report looks for eager initialization in the user's own code only
    // (`heft findings` looks everywhere).
    let init_bytes =
        (!measurements.is_empty()).then(|| heft_measure::weights(&saved, heft_measure::WeightKind::InitBytes));
    let findings = if args.no_findings {
        None
    } else {
        Some(crate::findings::collect(&prog, &[], true, FINDINGS_MIN_PACKAGES, init_bytes.as_ref())?)
    };

    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        write_json(&mut out, &prog, &ig, &binaries, all.as_ref(), &modules, findings.as_ref())?;
    } else if args.markdown {
        write_markdown(&mut out, &prog, &ig, &binaries, all.as_ref(), &modules)?;
        if let Some(f) = &findings {
            writeln!(out, "\n### Findings\n\n```text")?;
            crate::findings::write_text(&mut out, f, FINDINGS_MIN_PACKAGES)?;
            writeln!(out, "```")?;
        }
    } else {
        write_text(&mut out, &prog, &ig, &binaries, all.as_ref(), &modules, args.by)?;
        if let Some(f) = &findings {
            writeln!(out)?;
            crate::findings::write_text(&mut out, f, FINDINGS_MIN_PACKAGES)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The dependency modules linking the most packages, each with its cheapest
/// eviction plan if a short one exists.
fn heaviest_modules(prog: &Program, ig: &ImportGraph, weights: &Weights, top: usize) -> Vec<ModuleLine> {
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
            let plan = plan_eviction(prog, ig, targets, false, false)
                .ok()
                .filter(|ev| !ev.plan.edges.is_empty() && ev.plan.edges.len() <= MAX_PLAN_EDGES)
                .map(|ev| (ev.plan.edges, ev.removed.len() as u64));
            ModuleLine {
                path: module.path.clone(),
                version: module.version.clone().unwrap_or_default(),
                packages: *packages,
                source: *source,
                plan,
            }
        })
        .collect()
}

/// Heap at the end of init, mallocs and binary size as table cells, with
/// `none` for what was not measured.
fn measured_cells(m: Option<Measured>, none: &str) -> [String; 3] {
    let Some(m) = m else { return [none.to_string(), none.to_string(), none.to_string()] };
    [
        m.heap_live.map_or(none.to_string(), human_bytes),
        m.mallocs.map_or(none.to_string(), |v| v.to_string()),
        human_bytes(m.binary_size),
    ]
}

fn write_text(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    binaries: &[Binary],
    all: Option<&Binary>,
    modules: &[ModuleLine],
    by: Weight,
) -> io::Result<()> {
    let width = binaries.iter().map(|b| b.label().len()).max().unwrap_or(0).max(12);
    let any_measured = binaries.iter().any(|b| b.measured.is_some());
    let head =
        if any_measured { format!("  {:>10}  {:>8}  {:>10}", "heap@init", "mallocs", "binary") } else { String::new() };
    writeln!(out, "{:<width$}  {:>8}  {:>9}  {:>10}{head}", "binary", "packages", "exclusive", "source")?;
    for b in binaries.iter().chain(all) {
        let excl = b.exclusive.map_or(String::from("-"), |e| e.to_string());
        let m = if any_measured {
            let [heap, mallocs, size] = measured_cells(b.measured, "-");
            format!("  {heap:>10}  {mallocs:>8}  {size:>10}")
        } else {
            String::new()
        };
        writeln!(out, "{:<width$}  {:>8}  {:>9}  {:>10}{m}", b.label(), b.packages, excl, human_bytes(b.source))?;
    }
    for b in all.into_iter().chain(binaries) {
        writeln!(out, "\ntop cuts for {}:", b.label())?;
        write_cuts(out, prog, ig, &b.cuts, by)?;
    }
    if !modules.is_empty() {
        let cwd = std::env::current_dir().unwrap_or_default();
        writeln!(out, "\nheaviest dependency modules:")?;
        for m in modules {
            writeln!(out, "  {} {}: {} packages, {} of source", m.path, m.version, m.packages, human_bytes(m.source))?;
            match &m.plan {
                Some((edges, removed)) => {
                    writeln!(out, "    freed by cutting {} import(s), removing {removed} packages:", edges.len())?;
                    for &e in edges {
                        let (from, imp) = ig.import(prog, e);
                        writeln!(out, "      {} -> {}  at {}", from.path, imp.path, sites_text(from, imp, &cwd))?;
                    }
                }
                None => writeln!(
                    out,
                    "    no plan of at most {MAX_PLAN_EDGES} of your imports frees it (heft evict shows the full plan)"
                )?,
            }
        }
    }
    Ok(())
}

fn write_markdown(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    binaries: &[Binary],
    all: Option<&Binary>,
    modules: &[ModuleLine],
) -> io::Result<()> {
    writeln!(
        out,
        "| binary | packages | exclusive | source | heap at end of init | mallocs | binary |\n|:---|---:|---:|---:|---:|---:|---:|"
    )?;
    for b in binaries.iter().chain(all) {
        let excl = b.exclusive.map_or(String::from("–"), |e| e.to_string());
        let [heap, mallocs, size] = measured_cells(b.measured, "–");
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {heap} | {mallocs} | {size} |",
            b.label(),
            b.packages,
            excl,
            human_bytes(b.source)
        )?;
    }
    for b in all.into_iter().chain(binaries) {
        writeln!(out, "\n### Top cuts for `{}`\n", b.label())?;
        if b.cuts.is_empty() {
            writeln!(out, "No single import of yours frees anything.")?;
            continue;
        }
        writeln!(out, "| # | cut | removes | source | heaviest removed |\n|---:|:---|---:|---:|:---|")?;
        for (i, r) in b.cuts.iter().enumerate() {
            let (from, imp) = ig.import(prog, r.edge);
            let names: Vec<String> =
                r.removed.iter().take(3).map(|&id| format!("`{}`", prog.package(id).path)).collect();
            writeln!(
                out,
                "| {} | `{}` → `{}` | {} | {} | {} |",
                i + 1,
                from.path,
                imp.path,
                r.packages,
                human_bytes(r.source),
                names.join(", ")
            )?;
        }
    }
    if !modules.is_empty() {
        writeln!(out, "\n### Heaviest dependency modules\n")?;
        writeln!(out, "| module | packages | source | cheapest plan |\n|:---|---:|---:|:---|")?;
        for m in modules {
            let plan = match &m.plan {
                Some((edges, _)) => edges
                    .iter()
                    .map(|&e| {
                        let (from, imp) = ig.import(prog, e);
                        format!("`{}` → `{}`", from.path, imp.path)
                    })
                    .collect::<Vec<_>>()
                    .join("; "),
                None => format!("more than {MAX_PLAN_EDGES} cuts"),
            };
            writeln!(out, "| `{}` {} | {} | {} | {plan} |", m.path, m.version, m.packages, human_bytes(m.source))?;
        }
    }
    Ok(())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BinaryJson<'a> {
    root: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    library: bool,
    packages: u64,
    source_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusive_packages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measured: Option<Measured>,
    cuts: Vec<CutJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModuleJson<'a> {
    path: &'a str,
    version: &'a str,
    packages: u64,
    source_bytes: u64,
    plan: Option<PlanJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanJson<'a> {
    cuts: Vec<EdgeJson<'a>>,
    removes_packages: u64,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    binaries: Vec<BinaryJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    all: Option<BinaryJson<'a>>,
    modules: Vec<ModuleJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a crate::findings::Findings>,
}

fn write_json(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    binaries: &[Binary],
    all: Option<&Binary>,
    modules: &[ModuleLine],
    findings: Option<&crate::findings::Findings>,
) -> io::Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let binary = |b: &Binary, root: &'static str| BinaryJson {
        root,
        library: b.library,
        packages: b.packages,
        source_bytes: b.source,
        exclusive_packages: b.exclusive,
        measured: b.measured,
        cuts: b.cuts.iter().map(|r| cut_json(prog, ig, r, &cwd)).collect(),
    };
    let doc = ReportJson {
        binaries: binaries.iter().map(|b| BinaryJson { root: &b.name, ..binary(b, "") }).collect(),
        all: all.map(|b| binary(b, "all")),
        modules: modules
            .iter()
            .map(|m| ModuleJson {
                path: &m.path,
                version: &m.version,
                packages: m.packages,
                source_bytes: m.source,
                plan: m.plan.as_ref().map(|(edges, removed)| PlanJson {
                    cuts: edges.iter().map(|&e| edge_json(prog, ig, e)).collect(),
                    removes_packages: *removed,
                }),
            })
            .collect(),
        findings,
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
