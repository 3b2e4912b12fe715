//! `heft cuts`: which single import, if cut, removes the most.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_analyze::cuts::{
    attach_anatomy, attach_uses, cheapest_per_chain, rank_cuts, rank_module_cuts, rank_package_cuts,
};
use heft_analyze::{ImportGraph, ModuleGraph, Weight, top};

use crate::cli::{self, LoadArgs, WeightSources};

/// Cuts given a recipe (the rest get their effort only).
const RECIPES: usize = 50;

#[derive(Args, Debug)]
pub struct CutsArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Rank by what the cut removes.
    #[arg(long, value_parser = cli::weight_parser(), default_value = "packages")]
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
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let ig = ImportGraph::of(&prog);
    let weights = args.weights.weights(&prog, args.by)?;
    let shown = cli::shown();
    let mut out = cli::stdout();
    if args.modules {
        let mg = ModuleGraph::of(&prog, &ig, &weights);
        let mut rows = rank_module_cuts(&mg, args.include_deps);
        rows.truncate(top(args.top, rows.len()));
        if args.json {
            heft_report::json::module_cuts(&mut out, &prog, &ig, &mg, &rows)?;
        } else {
            heft_report::text::module_cuts(&mut out, &prog, &ig, &mg, &rows, &shown)?;
        }
    } else if args.packages {
        let mut rows = rank_package_cuts(&prog, &ig, &weights);
        rows.truncate(top(args.top, rows.len()));
        if args.json {
            heft_report::json::package_cuts(&mut out, &prog, &rows)?;
        } else {
            heft_report::text::package_cuts(&mut out, &prog, &rows)?;
        }
    } else {
        let cheap = args.by == Weight::Cheap;
        let mut warnings = Vec::new();
        let mut rows = rank_cuts(&prog, &ig, &prog.roots, &weights, args.include_deps, cheap);
        if cheap {
            // Every edge's effort is needed (the cheapest edge of a chain
            // wins): counted from the importers' files alone.
            attach_uses(&prog, &ig, &mut rows, &mut warnings);
            rows = cheapest_per_chain(rows);
        }
        rows.truncate(top(args.top, rows.len()));
        if !args.no_anatomy {
            // Recipes for the rows a person reads; past them, the effort
            // alone, counted without reading the imported packages.
            let read = rows.len().min(RECIPES);
            let (read, rest) = rows.split_at_mut(read);
            attach_anatomy(&prog, &ig, read, &mut warnings);
            if rest.iter().any(|r| r.uses.is_none()) {
                attach_uses(&prog, &ig, rest, &mut warnings);
            }
        }
        cli::warn(&warnings);
        if args.json {
            heft_report::json::cuts(&mut out, &prog, &ig, args.by, &rows)?;
        } else {
            heft_report::text::cuts(&mut out, &prog, &ig, &rows, args.by, &shown)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
