//! `heft ROOT...`: the one-command report — per binary and for all of them
//! together: packages, what each binary has to itself, the best cuts, and
//! the heaviest dependency modules with the cheapest way to drop them.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_analyze::{ImportGraph, Weight};

use crate::cli::{self, LoadArgs, WeightSources};

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Rank cuts by what they remove.
    #[arg(long, value_parser = cli::weight_parser(), default_value = "packages")]
    pub by: Weight,
    #[command(flatten)]
    pub weights: WeightSources,
    /// Cuts to show, for all binaries together and for each (0: all; default: 5, or 3 with more than two binaries).
    #[arg(long)]
    pub top: Option<usize>,
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

pub fn run(args: &ReportArgs) -> Result<ExitCode> {
    if args.roots.is_empty() {
        anyhow::bail!("name the main packages to report on, e.g. `heft ./cmd/...` (see heft --help)");
    }
    // `heft -C dir findings .` reads as a report on a package named
    // `findings`: say where the flags go instead.
    const COMMANDS: [&str; 11] =
        ["deps", "why", "cuts", "evict", "explain", "findings", "measure", "size", "check", "lock", "diff"];
    if let Some(command) = args.roots.first().filter(|r| COMMANDS.contains(&r.as_str())) {
        anyhow::bail!(
            "{command:?} is a command: give it first, then its flags (`heft {command} -C DIR ...`), \
             or name a package path to report on"
        );
    }
    let prog = args.load.load_binaries(&args.roots)?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let weights = args.weights.weights(&prog, args.by)?;
    let measurements = args.weights.measurements()?;
    let ig = ImportGraph::of(&prog);
    // Sized for a screen whatever the number of binaries.
    let top = args.top.unwrap_or(if prog.roots.len() > 2 { 3 } else { 5 });
    let report = heft_analyze::report::build(&prog, &ig, &weights, &measurements, top, args.no_findings);
    cli::warn(&report.warnings);
    let shown = cli::shown();
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::report(&mut out, &prog, &ig, &report)?;
    } else if args.markdown {
        heft_report::markdown::report(&mut out, &prog, &ig, &report, &shown)?;
    } else {
        heft_report::text::report(&mut out, &prog, &ig, &report, args.by, &shown)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
