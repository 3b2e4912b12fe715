//! `heft why`: the import chains that bring a package into a binary.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use heft_analyze::{PackageSelector, why};

use crate::cli::{self, LoadArgs};

#[derive(Args, Debug)]
pub struct WhyArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Show every chain (or, past --limit, a compact graph of all of them and every shortest chain).
    #[arg(long)]
    all: bool,
    /// With --all: list chains one by one up to this many (at most 100000).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    limit: u32,
    /// The root: a main package (./cmd/x or an import path).
    #[arg(value_name = "ROOT")]
    root: String,
    /// The package to explain, by import path.
    #[arg(value_name = "PACKAGE")]
    package: String,
}

pub fn run(args: &WhyArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(std::slice::from_ref(&args.root))?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let [root] = prog.roots[..] else {
        bail!("{:?} matches {} packages; name one root package", args.root, prog.roots.len());
    };
    let target = PackageSelector::parse(&args.package).package(&prog, &args.load.dir)?;
    let shown = cli::shown();
    let mut out = cli::stdout();
    if args.all {
        heft_report::text::chains(&mut out, &prog, &why::all(&prog, root, target, args.limit as usize), &shown)?;
    } else {
        let chain = why::shortest(&prog, root, target).expect("every loaded package is reachable from the root");
        heft_report::text::chain(&mut out, &prog, &chain, &shown)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
