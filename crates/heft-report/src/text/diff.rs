//! `heft diff`: the before/after table, then what changed it.

use std::io::{self, Write};

use heft_analyze::diff::{BinaryDiff, EdgeChange, Figures, ProgramDiff};

use crate::table::{Column, Table};
use crate::{human_bytes, signed_bytes};

/// `old → new (±delta)` of a figure (bytes or a count), `-` where
/// neither side has it.
pub(crate) fn change(old: Option<u64>, new: Option<u64>, bytes: bool) -> String {
    let show = |n: u64| if bytes { human_bytes(n) } else { n.to_string() };
    match (old, new) {
        (Some(o), Some(n)) if o == n => show(n),
        (Some(o), Some(n)) => {
            let delta = i64::try_from(n).unwrap_or(i64::MAX).saturating_sub(i64::try_from(o).unwrap_or(i64::MAX));
            let signed = if bytes { signed_bytes(delta) } else { format!("{delta:+}") };
            format!("{} → {} ({signed})", show(o), show(n))
        }
        (None, Some(n)) => format!("new: {}", show(n)),
        (Some(o), None) => format!("gone (was {})", show(o)),
        (None, None) => "-".to_string(),
    }
}

/// The figures of a binary as cells: packages, source, and the measured
/// ones when either side has them.
pub(crate) fn cells(b: &BinaryDiff, measured: bool) -> Vec<String> {
    let get = |f: fn(&Figures) -> Option<u64>| (b.before.as_ref().and_then(f), b.after.as_ref().and_then(f));
    let (p0, p1) = get(|f| Some(f.packages));
    let (s0, s1) = get(|f| Some(f.source_bytes));
    let mut row = vec![change(p0, p1, false), change(s0, s1, true)];
    if measured {
        let (h0, h1) = get(|f| f.heap_live);
        let (m0, m1) = get(|f| f.mallocs);
        let (b0, b1) = get(|f| f.binary_size);
        row.extend([change(h0, h1, true), change(m0, m1, false), change(b0, b1, true)]);
    }
    row
}

/// Whether any binary has a measured figure.
pub(crate) fn any_measured(d: &ProgramDiff) -> bool {
    d.binaries
        .iter()
        .flat_map(|b| b.before.iter().chain(&b.after))
        .any(|f| f.heap_live.is_some() || f.binary_size.is_some())
}

/// The line about the binaries whose weight did not change.
pub(crate) fn unchanged(d: &ProgramDiff) -> String {
    match d.binaries.iter().filter(|b| !b.changed()).count() {
        0 => String::new(),
        n if n == d.binaries.len() => format!("no binary links a package more or fewer ({n} compared)"),
        n => format!("{n} other binar{} link the same packages as before", if n == 1 { "y" } else { "ies" }),
    }
}

/// "`importer -> imported (file:line)`".
fn edge(e: &EdgeChange) -> String {
    let at = e.site.as_ref().map(|l| format!("  ({}:{})", l.file, l.line)).unwrap_or_default();
    format!("{} -> {}{at}", e.importer, e.imported)
}

fn names(packages: &[String]) -> String {
    let shown: Vec<&str> = packages.iter().take(5).map(String::as_str).collect();
    let more = if packages.len() > 5 { format!(", +{} more", packages.len() - 5) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

/// Imports shown per binary and direction; `--json` has them all.
const EDGES: usize = 10;

/// The whole diff from `base` to `head` (labels of the two revisions).
pub fn diff(out: &mut impl Write, d: &ProgramDiff, base: &str, head: &str) -> io::Result<()> {
    writeln!(out, "heft diff {base} .. {head}")?;
    let measured = any_measured(d);
    let mut columns = vec![Column::left(6), Column::left(8).gap("  "), Column::left(6).gap("  ")];
    let mut head_row = vec!["binary", "packages", "source"];
    if measured {
        columns.extend([Column::left(9).gap("  "), Column::left(7).gap("  "), Column::left(6).gap("  ")]);
        head_row.extend(["heap@init", "mallocs", "binary"]);
    }
    if d.binaries.iter().any(|b| b.changed()) {
        let mut table = Table::new("", columns);
        table.row(head_row);
        for b in d.binaries.iter().filter(|b| b.changed()) {
            table.row(std::iter::once(b.root.clone()).chain(cells(b, measured)));
        }
        table.write(out)?;
    }
    writeln!(out, "{}", unchanged(d))?;
    for b in d.binaries.iter().filter(|b| !b.added.is_empty() || !b.removed.is_empty()) {
        writeln!(out, "\n{}", b.root)?;
        for e in b.added.iter().take(EDGES) {
            writeln!(out, "  + {}", edge(e))?;
            writeln!(
                out,
                "      brought {} package(s), {} of source: {}",
                e.packages.len(),
                human_bytes(e.source_bytes),
                names(&e.packages)
            )?;
        }
        if b.added.len() > EDGES {
            writeln!(out, "  + {} more imports (--json lists every one)", b.added.len() - EDGES)?;
        }
        for e in b.removed.iter().take(EDGES) {
            writeln!(out, "  - {}", edge(e))?;
            writeln!(
                out,
                "      no longer imported: {} package(s) left, {} of source: {}",
                e.packages.len(),
                human_bytes(e.source_bytes),
                names(&e.packages)
            )?;
        }
        if b.removed.len() > EDGES {
            writeln!(out, "  - {} more imports (--json lists every one)", b.removed.len() - EDGES)?;
        }
    }
    if !d.new_findings.is_empty() {
        writeln!(out, "\nnew findings:")?;
        for f in &d.new_findings {
            let at = f.location.as_ref().map(|l| format!(" ({}:{})", l.file, l.line)).unwrap_or_default();
            writeln!(out, "  [{}] {}{at}", f.code.as_str(), f.message)?;
            if let Some(r) = &f.recipe {
                writeln!(out, "      help: {r}")?;
            }
        }
    }
    Ok(())
}
