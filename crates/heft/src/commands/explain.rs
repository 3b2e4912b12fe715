//! `heft explain`: the anatomy of one import edge A→B — what A uses of B,
//! where, and how to cut the edge.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use heft_analyze::ImportGraph;
use heft_analyze::PackageSelector;
use heft_analyze::cuts::{anatomy, removed_by};
use heft_analyze::recipe::recipe_for_cut;

use crate::cli::{self, LoadArgs};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Print JSON (docs/json.md, "heft explain").
    #[arg(long)]
    json: bool,
    /// The root: a main package (./cmd/x or an import path).
    #[arg(value_name = "ROOT")]
    root: String,
    /// The importing package (import path, or a unique suffix of one).
    #[arg(value_name = "A")]
    importer: String,
    /// The imported package (import path, or a unique suffix of one).
    #[arg(value_name = "B")]
    imported: String,
}

pub fn run(args: &ExplainArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(std::slice::from_ref(&args.root))?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let a = PackageSelector::parse(&args.importer).package(&prog, &args.load.dir)?;
    let b = PackageSelector::parse(&args.imported).package(&prog, &args.load.dir)?;
    let (pa, pb) = (prog.package(a), prog.package(b));
    if !pa.imports.iter().any(|i| i.target == b) {
        bail!("{} does not import {}", pa.path, pb.path);
    }
    let anatomy = anatomy(&prog, a, b).with_context(|| format!("reading {} → {}", pa.path, pb.path))?;
    let removed = removed_by(&prog, &ImportGraph::of(&prog), a, b);
    let recipe = recipe_for_cut(&prog, a, b, &anatomy, &removed);
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::explain(&mut out, &prog, a, b, &anatomy, &recipe)?;
    } else {
        heft_report::text::explain(&mut out, &prog, a, b, &anatomy, &recipe, &cli::shown())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
