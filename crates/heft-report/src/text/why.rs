//! Import chains: why a package is linked.

use std::io::{self, Write};

use heft_analyze::{Chains, Location};
use heft_load::{PkgId, Program};

use crate::Shown;

/// One chain, a package per line with the site of its import.
pub fn chain(out: &mut impl Write, prog: &Program, chain: &[PkgId], shown: &Shown) -> io::Result<()> {
    writeln!(out, "{}", prog.package(chain[0]).path)?;
    for w in chain.windows(2) {
        writeln!(out, "  -> {}  ({})", prog.package(w[1]).path, hop_site(prog, w[0], w[1], shown))?;
    }
    Ok(())
}

/// Every chain, or past the limit every shortest one and the graph of all.
pub fn chains(out: &mut impl Write, prog: &Program, found: &Chains, shown: &Shown) -> io::Result<()> {
    match found {
        Chains::All(all) => {
            writeln!(out, "# {} chain(s)", all.len())?;
            for (i, c) in all.iter().enumerate() {
                if i > 0 {
                    writeln!(out)?;
                }
                chain(out, prog, c, shown)?;
            }
        }
        Chains::TooMany { edges, shortest, shortest_complete, lower_bound } => {
            let listed = if *shortest_complete {
                format!("every shortest chain ({})", shortest.len())
            } else {
                format!("{} of the shortest chains (there are more)", shortest.len())
            };
            writeln!(out, "# at least {lower_bound} chains; {listed}, then the graph of all chains")?;
            for c in shortest {
                chain(out, prog, c, shown)?;
                writeln!(out)?;
            }
            writeln!(out, "# all chains: each package on one, with the imports that continue a chain")?;
            for (v, succ) in edges {
                writeln!(out, "{}", prog.package(*v).path)?;
                for &s in succ {
                    writeln!(out, "    -> {}  ({})", prog.package(s).path, hop_site(prog, *v, s, shown))?;
                }
            }
        }
    }
    Ok(())
}

/// "file:line" of the first place `from` imports `to`.
fn hop_site(prog: &Program, from: PkgId, to: PkgId, shown: &Shown) -> String {
    let Some(imp) = prog.package(from).imports.iter().find(|i| i.target == to) else {
        return String::new();
    };
    match imp.sites.first() {
        Some(site) => {
            let more = if imp.sites.len() > 1 { format!(" +{} more", imp.sites.len() - 1) } else { String::new() };
            format!("{}{more}", shown.at(&Location::of_site(prog, from, site)))
        }
        None => "implicit: added by the toolchain".to_string(),
    }
}
