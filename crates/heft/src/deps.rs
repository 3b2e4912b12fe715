//! `heft deps`: the package list of `go list -deps`, natively.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use crate::{LoadArgs, json, report_package_errors};

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
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        json::write_packages(&mut out, &prog, &order)?;
    } else {
        for id in &order {
            writeln!(out, "{}", prog.package(*id).path)?;
        }
    }
    out.flush()?;
    let had_errors = report_package_errors(&prog, args.load.keep_going);
    Ok(if had_errors && !args.load.keep_going { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
