//! The one-command report.

use std::io::{self, Write};

use heft_analyze::report::{Measured, PLAN_EDGES_SHOWN, Report};
use heft_analyze::{ImportGraph, Weight};
use heft_load::Program;

use crate::table::{Column, Table};
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
    let any_measured = binaries.iter().any(|b| b.measured.is_some());
    let mut columns =
        vec![Column::left(12), Column::right(8).gap("  "), Column::right(9).gap("  "), Column::right(10).gap("  ")];
    let mut head = vec!["binary", "packages", "exclusive", "source"];
    if any_measured {
        columns.extend([Column::right(10).gap("  "), Column::right(8).gap("  "), Column::right(10).gap("  ")]);
        head.extend(["heap@init", "mallocs", "binary"]);
    }
    let mut table = Table::new("", columns);
    table.row(head);
    for b in binaries.iter().chain(all) {
        let excl = b.exclusive.map_or(String::from("-"), |e| e.to_string());
        let mut row = vec![b.label(), b.packages.to_string(), excl, human_bytes(b.source)];
        if any_measured {
            row.extend(measured_cells(b.measured, "-"));
        }
        table.row(row);
    }
    table.write(out)?;
    for b in all.into_iter().chain(binaries) {
        writeln!(out, "\ntop cuts for {}:", b.label())?;
        super::cuts(out, prog, ig, &b.cuts, by, shown)?;
    }
    if !r.modules.is_empty() {
        writeln!(out, "\nheaviest dependency modules:")?;
        for m in &r.modules {
            writeln!(out, "  {} {}: {} packages, {} of source", m.path, m.version, m.packages, human_bytes(m.source))?;
            match (&m.plan, m.structural) {
                (Some(_), Some((own, of))) => writeln!(
                    out,
                    "    freed only by cutting your program's own structure ({own} of your {of} packages would go with it)"
                )?,
                (Some((edges, removed)), None) => {
                    writeln!(out, "    freed by cutting {} import(s), removing {removed} packages:", edges.len())?;
                    for &e in edges.iter().take(PLAN_EDGES_SHOWN) {
                        let (from, imp) = ig.import(prog, e);
                        let at = super::sites(prog, ig.graph.edge(e).0, imp, shown);
                        writeln!(out, "      {} -> {}  at {at}", from.path, imp.path)?;
                    }
                    if edges.len() > PLAN_EDGES_SHOWN {
                        writeln!(
                            out,
                            "      and {} more (heft evict ROOT... {} lists them)",
                            edges.len() - PLAN_EDGES_SHOWN,
                            m.path
                        )?;
                    }
                }
                (None, _) => {
                    writeln!(out, "    none of your imports can be cut to free it (heft evict --include-deps)")?
                }
            }
        }
    }
    if let Some(f) = &r.findings {
        writeln!(out)?;
        super::findings_summary(out, f, shown, "heft findings")?;
    }
    Ok(())
}
