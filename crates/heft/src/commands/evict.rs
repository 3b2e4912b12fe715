//! `heft evict`: the fewest imports to cut together so that a package (or a
//! whole module, or a path pattern) leaves the binary.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_analyze::evict::plan_eviction;
use heft_analyze::{ImportGraph, PackageSelector};

use crate::cli::{self, LoadArgs};

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

pub fn run(args: &EvictArgs) -> Result<ExitCode> {
    let (roots, target) = args.args.split_at(args.args.len() - 1);
    let target = &target[0];
    let prog = args.load.load_binaries(roots)?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let targets = PackageSelector::parse(target).packages(&prog, &args.load.dir)?;
    let ig = ImportGraph::of(&prog);
    let mut warnings = Vec::new();
    let ev = plan_eviction(&prog, &ig, &prog.roots, target, &targets, args.include_deps, args.effort, &mut warnings)?;
    cli::warn(&warnings);
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::eviction(&mut out, &prog, &ig, target, &targets, &ev)?;
    } else {
        heft_report::text::eviction(&mut out, &prog, &ig, target, &targets, &ev, &cli::shown())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
