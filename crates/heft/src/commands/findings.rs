//! `heft findings`: what the binaries carry that they should not — test-only
//! code linked into production, eager initialization, and imports used for
//! constants only that drag whole subtrees in.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_analyze::findings::{FindingsOptions, collect};

use crate::cli::{self, LoadArgs};

/// Entries shown per section unless --all.
const FINDINGS_SHOWN: usize = 10;

#[derive(Args, Debug)]
pub struct FindingsArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Print JSON (docs/json.md, "heft findings").
    #[arg(long)]
    json: bool,
    /// A saved `heft measure --json`: rank eager initialization by measured init bytes; repeatable.
    #[arg(long, value_name = "FILE")]
    measurements: Vec<PathBuf>,
    /// One more test package (import path, or prefix/... ); repeatable.
    #[arg(long = "test-package", value_name = "PATTERN")]
    test_packages: Vec<String>,
    /// Eager initialization in dependencies too (default: your own modules, with a count of the rest).
    #[arg(long)]
    include_deps: bool,
    /// Eager initialization in generated files too (`// Code generated … DO NOT EDIT.`).
    #[arg(long)]
    generated: bool,
    /// List every finding (default: the first 10 of each section; --json is always complete).
    #[arg(long)]
    all: bool,
    /// Constant-only imports: report those whose cut removes at least this many packages.
    #[arg(long, value_name = "N", default_value_t = 3)]
    min_packages: u32,
    /// The binaries: main packages (./cmd/... or import paths).
    #[arg(value_name = "ROOT", required = true)]
    roots: Vec<String>,
}

pub fn run(args: &FindingsArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(&args.roots)?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let saved = heft_measure::read_saved(&args.measurements)?;
    let opts = FindingsOptions {
        extra_test_packages: args.test_packages.clone(),
        include_deps: args.include_deps,
        include_generated: args.generated,
        min_packages: args.min_packages,
    };
    let findings = collect(&prog, &opts, Some(&saved));
    cli::warn(&findings.warnings);
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::findings(&mut out, &findings)?;
    } else {
        let limit = if args.all { 0 } else { FINDINGS_SHOWN };
        heft_report::text::findings(&mut out, &findings, &cli::shown(), limit, "--all lists every one")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
