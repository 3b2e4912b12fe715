//! `heft why`: the import chains that bring a package into a binary.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use heft_graph::why::{Chains, all_chains, shortest_chain};
use heft_load::{PkgId, Program};

use crate::{LoadArgs, report_package_errors};

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
    let had_errors = report_package_errors(&prog, args.load.keep_going);
    if had_errors && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let [root] = prog.roots[..] else {
        bail!("{:?} matches {} packages; name one root package", args.root, prog.roots.len());
    };
    let target = crate::select::package(&prog, &args.load.dir, &args.package)?;
    let g = crate::analysis::ImportGraph::of(&prog).graph;
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = BufWriter::new(io::stdout().lock());
    if !args.all {
        let chain = shortest_chain(&g, root, target).expect("every loaded package is reachable from the root");
        write_chain(&mut out, &prog, &chain, &cwd)?;
    } else {
        match all_chains(&g, root, target, args.limit as usize) {
            Chains::All(chains) => {
                writeln!(out, "# {} chain(s)", chains.len())?;
                for (i, chain) in chains.iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    write_chain(&mut out, &prog, chain, &cwd)?;
                }
            }
            Chains::TooMany { edges, shortest, shortest_complete, lower_bound } => {
                let listed = if shortest_complete {
                    format!("every shortest chain ({})", shortest.len())
                } else {
                    format!("{} of the shortest chains (there are more)", shortest.len())
                };
                writeln!(out, "# at least {lower_bound} chains; {listed}, then the graph of all chains")?;
                for chain in &shortest {
                    write_chain(&mut out, &prog, chain, &cwd)?;
                    writeln!(out)?;
                }
                writeln!(out, "# all chains: each package on one, with the imports that continue a chain")?;
                for (v, succ) in edges {
                    writeln!(out, "{}", prog.package(v).path)?;
                    for s in succ {
                        writeln!(out, "    -> {}  ({})", prog.package(s).path, hop_site(&prog, v, s, &cwd))?;
                    }
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_chain(out: &mut impl Write, prog: &Program, chain: &[PkgId], cwd: &Path) -> io::Result<()> {
    writeln!(out, "{}", prog.package(chain[0]).path)?;
    for w in chain.windows(2) {
        writeln!(out, "  -> {}  ({})", prog.package(w[1]).path, hop_site(prog, w[0], w[1], cwd))?;
    }
    Ok(())
}

/// "file:line" of the first place `from` imports `to`, relative to the
/// working directory when inside it.
fn hop_site(prog: &Program, from: PkgId, to: PkgId, cwd: &Path) -> String {
    let p = prog.package(from);
    let Some(imp) = p.imports.iter().find(|i| i.target == to) else {
        return String::new();
    };
    match imp.sites.first() {
        Some(site) => {
            let file = p.dir.join(p.site_file(site));
            let shown = crate::shown_path(&file, cwd);
            let more = if imp.sites.len() > 1 { format!(" +{} more", imp.sites.len() - 1) } else { String::new() };
            format!("{}:{}{more}", shown.display(), site.line)
        }
        None => "implicit: added by the toolchain".to_string(),
    }
}
