//! The one-command report.

use std::io::{self, Write};

use heft_analyze::report::{MAX_PLAN_EDGES, Measured, Report};
use heft_analyze::{ImportGraph, Weight};
use heft_load::Program;

use crate::{Shown, human_bytes};

/// Heap at the end of init, mallocs and binary size as table cells, with
/// `none` for what was not measured.
pub(crate) fn measured_cells(m: Option<Measured>, none: &str) -> [String; 3] {
    let Some(m) = m else { return [none.to_string(), none.to_string(), none.to_string()] };
    [
        m.heap_live.map_or(none.to_string(), human_bytes),
        m.mallocs.map_or(none.to_string(), |v| v.to_string()),
        human_bytes(m.binary_size),
    ]
}

/// The report: the table of binaries, the top cuts of each, the heaviest
/// modules, then the findings.
pub fn report(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    r: &Report,
    by: Weight,
    shown: &Shown,
) -> io::Result<()> {
    let (binaries, all) = (&r.binaries, r.all.as_ref());
    let width = binaries.iter().map(|b| b.label().len()).max().unwrap_or(0).max(12);
    let any_measured = binaries.iter().any(|b| b.measured.is_some());
    let head =
        if any_measured { format!("  {:>10}  {:>8}  {:>10}", "heap@init", "mallocs", "binary") } else { String::new() };
    writeln!(out, "{:<width$}  {:>8}  {:>9}  {:>10}{head}", "binary", "packages", "exclusive", "source")?;
    for b in binaries.iter().chain(all) {
        let excl = b.exclusive.map_or(String::from("-"), |e| e.to_string());
        let m = if any_measured {
            let [heap, mallocs, size] = measured_cells(b.measured, "-");
            format!("  {heap:>10}  {mallocs:>8}  {size:>10}")
        } else {
            String::new()
        };
        writeln!(out, "{:<width$}  {:>8}  {:>9}  {:>10}{m}", b.label(), b.packages, excl, human_bytes(b.source))?;
    }
    for b in all.into_iter().chain(binaries) {
        writeln!(out, "\ntop cuts for {}:", b.label())?;
        super::cuts(out, prog, ig, &b.cuts, by, shown)?;
    }
    if !r.modules.is_empty() {
        writeln!(out, "\nheaviest dependency modules:")?;
        for m in &r.modules {
            writeln!(out, "  {} {}: {} packages, {} of source", m.path, m.version, m.packages, human_bytes(m.source))?;
            match &m.plan {
                Some((edges, removed)) => {
                    writeln!(out, "    freed by cutting {} import(s), removing {removed} packages:", edges.len())?;
                    for &e in edges {
                        let (from, imp) = ig.import(prog, e);
                        let at = super::sites(prog, ig.graph.edge(e).0, imp, shown);
                        writeln!(out, "      {} -> {}  at {at}", from.path, imp.path)?;
                    }
                }
                None => writeln!(
                    out,
                    "    no plan of at most {MAX_PLAN_EDGES} of your imports frees it (heft evict shows the full plan)"
                )?,
            }
        }
    }
    if let Some(f) = &r.findings {
        writeln!(out)?;
        super::findings(out, f, shown)?;
    }
    Ok(())
}
