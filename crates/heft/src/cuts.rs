//! `heft cuts`: which single import, if cut, removes the most.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_load::{PkgId, Program};
use serde::Serialize;

use crate::analysis::{
    CutRow, ImportGraph, ModuleGraph, Weight, WeightSources, Weights, attach_anatomy, cheapest_per_chain, human_bytes,
    rank_cuts, rank_module_cuts,
};
use crate::json::{SiteJson, sites_json};
use crate::{LoadArgs, report_package_errors, shown_path};

#[derive(Args, Debug)]
pub struct CutsArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Rank by what the cut removes.
    #[arg(long, value_enum, default_value_t = Weight::Packages)]
    pub by: Weight,
    #[command(flatten)]
    pub weights: WeightSources,
    /// Show this many cuts (0: all).
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Also propose edges inside dependencies (cut by upgrading, replacing or forking them).
    #[arg(long)]
    pub include_deps: bool,
    /// Print JSON (schema: docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// Skip reading what each importer uses (the effort and recipe of each cut): faster.
    #[arg(long)]
    pub no_anatomy: bool,
    /// Cut at the level of modules: which module should stop importing which.
    #[arg(long, conflicts_with = "packages")]
    pub modules: bool,
    /// Rank packages instead of imports: what disappears if a package were gone (like `goda cut`).
    #[arg(long)]
    pub packages: bool,
    /// Main packages; several roots are analyzed together, as one busybox binary.
    #[arg(value_name = "ROOT", required = true)]
    pub roots: Vec<String>,
}

pub fn run(args: &CutsArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(&args.roots)?;
    if report_package_errors(&prog, args.load.keep_going) && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let ig = ImportGraph::of(&prog);
    let weights = Weights::new(&prog, args.by, &args.weights)?;
    if args.modules {
        return run_modules(args, &prog, &ig, &weights);
    }
    if args.packages {
        return run_packages(args, &prog, &ig, &weights);
    }
    let cheap = args.by == Weight::Cheap;
    let mut rows = rank_cuts(&prog, &ig, &prog.roots, &weights, args.include_deps, cheap);
    if cheap {
        // Every edge's anatomy is needed: the cheapest edge of a chain wins.
        attach_anatomy(&prog, &ig, &mut rows);
        rows = cheapest_per_chain(rows);
    }
    rows.truncate(crate::top(args.top, rows.len()));
    if !cheap && !args.no_anatomy {
        attach_anatomy(&prog, &ig, &mut rows);
    }
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let cwd = std::env::current_dir().unwrap_or_default();
        let doc = CutsJson {
            roots: prog.roots.iter().map(|&r| prog.package(r).path.as_str()).collect(),
            by: args.by,
            cuts: rows.iter().map(|r| cut_json(&prog, &ig, r, &cwd)).collect(),
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        write_cuts(&mut out, &prog, &ig, &rows, args.by)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `heft cuts --packages`: each package's removal set (its dominator subtree).
fn run_packages(args: &CutsArgs, prog: &Program, ig: &ImportGraph, weights: &Weights) -> Result<ExitCode> {
    let cuts = heft_graph::cuts::Cuts::new(&ig.graph, &prog.roots);
    let sums = cuts.node_weights(&[&weights.packages, &weights.source, &weights.chosen]);
    let key = |v: usize| (sums[2][v], sums[0][v], sums[1][v]);
    let mut order: Vec<usize> = (0..prog.packages.len()).filter(|&v| !prog.roots.contains(&(v as PkgId))).collect();
    order.sort_by(|&a, &b| key(b).cmp(&key(a)).then(a.cmp(&b)));
    order.truncate(crate::top(args.top, order.len()));
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let doc: Vec<PackageCutJson> = order
            .iter()
            .map(|&v| PackageCutJson {
                package: &prog.packages[v].path,
                removes: RemovesJson {
                    packages: sums[0][v],
                    source_bytes: sums[1][v],
                    weight: Some(sums[2][v]),
                    zero_weight_packages: None,
                },
                removed: cuts.node_removal(v as u32).iter().map(|&id| prog.package(id).path.as_str()).collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        for (i, &v) in order.iter().enumerate() {
            writeln!(
                out,
                "{:>3}. {}  frees {} package{}, {} of source",
                i + 1,
                prog.packages[v].path,
                sums[0][v],
                if sums[0][v] == 1 { "" } else { "s" },
                human_bytes(sums[1][v])
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct PackageCutJson<'a> {
    package: &'a str,
    removes: RemovesJson,
    removed: Vec<&'a str>,
}

/// `heft cuts --modules`.
fn run_modules(args: &CutsArgs, prog: &Program, ig: &ImportGraph, weights: &Weights) -> Result<ExitCode> {
    let mg = ModuleGraph::of(prog, ig, weights);
    let mut rows = rank_module_cuts(&mg, args.include_deps);
    rows.truncate(crate::top(args.top, rows.len()));
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let doc: Vec<ModuleCutJson> = rows
            .iter()
            .map(|r| {
                let (a, b) = mg.graph.edge(r.edge);
                ModuleCutJson {
                    importer: &mg.names[a as usize],
                    imported: &mg.names[b as usize],
                    imports: mg.imports[r.edge as usize].iter().map(|&e| edge_json(prog, ig, e)).collect(),
                    removes: ModuleRemovesJson {
                        modules: r.removed.len() as u64,
                        packages: r.packages,
                        source_bytes: r.source,
                    },
                    removed: r.removed.iter().map(|&m| mg.names[m as usize].as_str()).collect(),
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        if rows.is_empty() {
            writeln!(out, "no single module dependency of yours frees anything (try --include-deps)")?;
        }
        for (i, r) in rows.iter().enumerate() {
            let (a, b) = mg.graph.edge(r.edge);
            writeln!(out, "{:>3}. {} => {}", i + 1, mg.names[a as usize], mg.names[b as usize])?;
            let names: Vec<&str> = r.removed.iter().take(4).map(|&m| mg.names[m as usize].as_str()).collect();
            writeln!(
                out,
                "     removes {} module(s), {} packages, {} of source: {}",
                r.removed.len(),
                r.packages,
                human_bytes(r.source),
                names.join(", ")
            )?;
            let behind = &mg.imports[r.edge as usize];
            for &e in behind.iter().take(5) {
                let (from, imp) = ig.import(prog, e);
                writeln!(out, "     through {} -> {} at {}", from.path, imp.path, sites_text(from, imp, &cwd))?;
            }
            if behind.len() > 5 {
                writeln!(out, "     and {} more imports", behind.len() - 5)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ModuleCutJson<'a> {
    importer: &'a str,
    imported: &'a str,
    imports: Vec<EdgeJson<'a>>,
    removes: ModuleRemovesJson,
    removed: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModuleRemovesJson {
    modules: u64,
    packages: u64,
    source_bytes: u64,
}

/// The terminal rendering of ranked cuts.
pub fn write_cuts(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    rows: &[CutRow],
    by: Weight,
) -> io::Result<()> {
    let cwd = std::env::current_dir().unwrap_or_default();
    if rows.is_empty() {
        writeln!(out, "no single import of yours frees anything (try --include-deps)")?;
    }
    for (i, r) in rows.iter().enumerate() {
        let (from, imp) = ig.import(prog, r.edge);
        let dep = if r.in_dependency { "  [in a dependency]" } else { "" };
        writeln!(out, "{:>3}. {} -> {}{dep}", i + 1, from.path, imp.path)?;
        let names: Vec<&str> = r.removed.iter().take(4).map(|&id| prog.package(id).path.as_str()).collect();
        let more = if r.removed.len() > names.len() {
            format!(", +{} more", r.removed.len() - names.len())
        } else {
            String::new()
        };
        let measured = match by {
            Weight::InitBytes => format!(", {} allocated by init", human_bytes(r.weight)),
            Weight::InitAllocs => format!(", {} init allocations", r.weight),
            Weight::Heap => format!(", {} of heap retained after init", human_bytes(r.weight)),
            Weight::Binary if r.weightless > 0 => {
                format!(", {} of binary ({} dropped by the linker already)", human_bytes(r.weight), r.weightless)
            }
            Weight::Binary => format!(", {} of binary", human_bytes(r.weight)),
            _ => String::new(),
        };
        writeln!(
            out,
            "     removes {} package{}, {} of source{measured}: {}{more}",
            r.packages,
            if r.packages == 1 { "" } else { "s" },
            human_bytes(r.source),
            names.join(", ")
        )?;
        writeln!(out, "     at {}", sites_text(from, imp, &cwd))?;
        if let Some(a) = &r.anatomy {
            let n = a.counts.identifiers;
            writeln!(out, "     uses {n} identifier{}: {}", if n == 1 { "" } else { "s" }, a.recipe().text())?;
        }
        for &alt in &r.alternatives {
            let (a, ai) = ig.import(prog, alt);
            writeln!(out, "     or cut {} -> {} at {}", a.path, ai.path, sites_text(a, ai, &cwd))?;
        }
    }
    Ok(())
}

/// "file:line" of each site, or what added an implicit import.
pub fn sites_text(p: &heft_load::Package, imp: &heft_load::Import, cwd: &Path) -> String {
    if imp.sites.is_empty() {
        return "(implicit: added by the toolchain)".to_string();
    }
    imp.sites
        .iter()
        .map(|s| format!("{}:{}", shown_path(&p.dir.join(p.site_file(s)), cwd).display(), s.line))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Serialize)]
struct CutsJson<'a> {
    roots: Vec<&'a str>,
    by: Weight,
    cuts: Vec<CutJson<'a>>,
}

#[derive(Serialize)]
pub struct EdgeJson<'a> {
    importer: &'a str,
    imported: &'a str,
    sites: Vec<SiteJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CutJson<'a> {
    #[serde(flatten)]
    edge: EdgeJson<'a>,
    dependency: bool,
    /// Distinct identifiers the importer uses (when looked at).
    #[serde(skip_serializing_if = "Option::is_none")]
    effort: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipe: Option<heft_syntax::Recipe>,
    removes: RemovesJson,
    removed: Vec<&'a str>,
    alternatives: Vec<EdgeJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovesJson {
    pub packages: u64,
    pub source_bytes: u64,
    /// The ranking weight's total, when it is a measured one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u64>,
    /// Removed packages that weigh nothing by the ranking weight (with
    /// --by binary: the linker dropped them already; cutting saves no bytes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zero_weight_packages: Option<u64>,
}

pub fn edge_json<'a>(prog: &'a Program, ig: &ImportGraph, edge: u32) -> EdgeJson<'a> {
    let (from, imp) = ig.import(prog, edge);
    EdgeJson { importer: &from.path, imported: &imp.path, sites: sites_json(from, &imp.sites) }
}

pub fn cut_json<'a>(prog: &'a Program, ig: &ImportGraph, r: &CutRow, _cwd: &Path) -> CutJson<'a> {
    CutJson {
        edge: edge_json(prog, ig, r.edge),
        dependency: r.in_dependency,
        effort: r.anatomy.as_ref().map(|a| a.counts.identifiers),
        recipe: r.anatomy.as_ref().map(|a| a.recipe()),
        removes: RemovesJson {
            packages: r.packages,
            source_bytes: r.source,
            weight: Some(r.weight),
            zero_weight_packages: Some(r.weightless),
        },
        removed: r.removed.iter().map(|&id| prog.package(id).path.as_str()).collect(),
        alternatives: r.alternatives.iter().map(|&e| edge_json(prog, ig, e)).collect(),
    }
}
