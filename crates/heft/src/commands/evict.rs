//! `heft evict`: the imports to cut together so that a package (or a whole
//! module, or a path pattern) leaves the binary — by default the plan a
//! maintainer would make (the least rework), and the fewest imports when
//! that differs.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_analyze::evict::{freed, plans};
use heft_analyze::{ImportGraph, PackageSelector};

use crate::cli::{self, LoadArgs, WeightSources};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  heft evict ./cmd/server k8s.io/client-go          the imports to cut so the module leaves the server
  heft evict --fewest ./cmd/... 'cloud.google.com/go/...'
  heft evict --measurements m.json --binary server ./cmd/server github.com/aws/aws-sdk-go
                                                    what the plan frees in init heap and binary bytes")]
pub struct EvictArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    #[command(flatten)]
    pub sources: WeightSources,
    /// Also allow cuts inside dependencies (by upgrading, replacing or forking them).
    #[arg(long)]
    pub include_deps: bool,
    /// Print JSON (schema: docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// Put the plan with the fewest imports first (default: the least rework, each cut weighed by the
    /// identifiers its importer uses; the other plan follows when it differs).
    #[arg(long)]
    pub fewest: bool,
    /// The default since plans are weighed by effort; kept for scripts.
    #[arg(long, hide = true)]
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
    let measured = args.sources.measurements()?;
    let binary = args.sources.binary.as_deref().map(crate::inputs::size_report).transpose()?;
    let ig = ImportGraph::of(&prog);
    let mut warnings = Vec::new();
    let plans = plans(&prog, &ig, &prog.roots, target, &targets, args.include_deps, args.fewest, &mut warnings)?;
    cli::warn(&warnings);
    let weigh = |ev: &heft_analyze::evict::Eviction| freed(&prog, &ev.removed, Some(&measured), binary.as_ref());
    let chosen = weigh(&plans.chosen);
    let other = plans.other.as_ref().map(|ev| (ev, weigh(ev)));
    let other = other.as_ref().map(|(ev, f)| (*ev, f));
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::eviction(&mut out, &prog, &ig, target, &targets, (&plans.chosen, &chosen), other)?;
    } else {
        let shown = cli::shown();
        heft_report::text::eviction(&mut out, &prog, &ig, target, &targets, (&plans.chosen, &chosen), other, &shown)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
