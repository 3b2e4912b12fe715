//! `heft deps`: the package list of `go list -deps`, natively.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::cli::{self, LoadArgs};

#[derive(Args, Debug)]
pub struct DepsArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Print a JSON array of packages (schema: docs/json.md) instead of paths.
    #[arg(long)]
    json: bool,
    /// Packages: ./..., ./cmd/x, import paths, std.
    #[arg(value_name = "PATTERN")]
    patterns: Vec<String>,
}

pub fn run(args: &DepsArgs) -> Result<ExitCode> {
    let prog = args.load.load(&args.patterns)?;
    let order = prog.deps_order();
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::packages(&mut out, &prog, &order)?;
    } else {
        heft_report::text::packages(&mut out, &prog, &order)?;
    }
    out.flush()?;
    // The list is right even with package errors: they are reported after it.
    Ok(cli::load_status(&prog, &args.load).unwrap_or(ExitCode::SUCCESS))
}
