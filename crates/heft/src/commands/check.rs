//! `heft check`: the binaries against heft.toml (budgets, forbidden
//! dependencies) and heft.lock (the packages each binary may link). Exit 1
//! on violations, 0 when clean, 2 when the check could not run.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use heft_analyze::ImportGraph;
use heft_analyze::check::{CheckInput, check};

use crate::cli::{self, LoadArgs};
use crate::inputs;

/// How `heft check` reports.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// For a person: each violation with its source line, chain and cut.
    Text,
    /// For tools (docs/json.md).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// The rules (default: heft.toml in the directory, if there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The baseline (default: heft.lock in the directory, if there is one).
    #[arg(long, value_name = "FILE")]
    pub lock: Option<PathBuf>,
    /// Saved `heft measure --json` for the measured budgets (else heft measures when a budget needs it); repeatable.
    #[arg(long, value_name = "FILE")]
    pub measurements: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Main packages to check (default: every [[binary]] root of heft.toml, else heft.lock's binaries, else ./...).
    #[arg(value_name = "ROOT")]
    pub roots: Vec<String>,
}

pub fn run(args: &CheckArgs) -> Result<ExitCode> {
    let (config, lock, _) = inputs::read_rules(&args.load.dir, args.config.as_ref(), args.lock.as_ref())?;
    if config.binary.is_empty() && config.forbid.is_empty() && lock.is_none() {
        anyhow::bail!(
            "nothing to check in {}: write a heft.toml (budgets and forbidden dependencies, see docs/check.md) or a baseline with `heft lock`",
            args.load.dir.display()
        );
    }
    let prog = args.load.load_binaries(&inputs::roots(&args.roots, &config, lock.as_ref()))?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let needs: Vec<String> = prog
        .roots
        .iter()
        .map(|&r| prog.package(r))
        .filter(|p| {
            config.binary.iter().any(|b| {
                b.needs_measurement()
                    && heft_analyze::config::matches(
                        &prog,
                        prog.lookup(&p.path).expect("a root"),
                        b.root.get_ref(),
                        &config.dir,
                    )
            })
        })
        .map(|p| p.path.clone())
        .collect();
    let measurements = if !args.measurements.is_empty() {
        Some(heft_measure::read_saved(&args.measurements)?)
    } else if !needs.is_empty() {
        Some(inputs::measure_for(&args.load.dir, args.load.tags.clone(), args.load.cgo, &needs)?)
    } else {
        None
    };
    let ig = ImportGraph::of(&prog);
    let report =
        check(&prog, &ig, &CheckInput { config: &config, measurements: measurements.as_ref(), lock: lock.as_ref() });
    cli::warn(&report.warnings);
    let shown = cli::shown();
    let mut out = cli::stdout();
    match args.format {
        Format::Text => {
            heft_report::text::diagnostics(&mut out, &report.diagnostics, &shown)?;
            let failures = report.failures();
            writeln!(
                out,
                "heft check: {} in {} binar{}",
                if failures == 0 { "ok".to_string() } else { format!("{failures} violation(s)") },
                report.binaries.len(),
                if report.binaries.len() == 1 { "y" } else { "ies" }
            )?;
        }
        Format::Json => heft_report::json::check(&mut out, &report)?,
        Format::Sarif => heft_report::sarif::log(&mut out, &report.diagnostics, &shown)?,
        Format::Github => heft_report::github::annotations(&mut out, &report.diagnostics, &shown)?,
    }
    out.flush()?;
    Ok(if report.failures() > 0 { cli::FAILED } else { ExitCode::SUCCESS })
}
