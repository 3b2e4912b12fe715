//! `heft measure`: heap, allocations and time at the end of init.

use std::io::{self, Write};

use heft_measure::BinaryMeasure;

use crate::human_bytes;
use crate::table::{Column, Table};

/// Each measured binary: totals, then its `top` heaviest packages (0: all).
pub fn measurement(out: &mut impl Write, binaries: &[BinaryMeasure], top: usize) -> io::Result<()> {
    for b in binaries {
        binary(out, b, top)?;
    }
    Ok(())
}

fn opt_bytes(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), human_bytes)
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), |n| n.to_string())
}

fn binary(out: &mut impl Write, b: &BinaryMeasure, top: usize) -> io::Result<()> {
    let runs = if b.runs > 1 { format!("  (median of {} runs)", b.runs) } else { String::new() };
    writeln!(out, "{}{runs}", b.package)?;
    writeln!(
        out,
        "  heap at end of init {} live, {} objects; mallocs {}; total allocated {}; sys {}",
        opt_bytes(b.heap_live),
        opt(b.heap_objects),
        opt(b.mallocs),
        opt_bytes(b.total_alloc),
        opt_bytes(b.sys)
    )?;
    writeln!(
        out,
        "  binary {}, {} packages; inittrace total {}, {} allocs, {:.1} ms",
        human_bytes(b.binary_size),
        opt(b.package_count),
        human_bytes(b.init_bytes),
        b.init_allocs,
        b.init_clock_ms
    )?;
    if let Some(ended) = &b.ended {
        writeln!(out, "  the program {ended}")?;
    }
    if let Some(n) = b.gc_count {
        writeln!(out, "  gctrace: {n} collections, last live heap {} MB", opt(b.gc_last_live_mb))?;
    }
    if !b.probe_only_packages.is_empty() {
        writeln!(out, "  warning: packages linked only because of the probe: {}", b.probe_only_packages.join(", "))?;
    }
    let mut ps: Vec<_> = b.packages.iter().collect();
    ps.sort_by(|x, y| {
        (y.retained_init_bytes.max(y.retained_bytes), y.init_bytes)
            .cmp(&(x.retained_init_bytes.max(x.retained_bytes), x.init_bytes))
            .then_with(|| x.path.cmp(&y.path))
    });
    let n = heft_analyze::top(top, ps.len());
    let probe = b.mode != "binary";
    let mut columns = vec![Column::left(50), Column::right(10), Column::right(7), Column::right(8)];
    let mut head = vec!["package", "init", "allocs", "ms"];
    if probe {
        columns.extend([Column::right(10), Column::right(8), Column::right(12)]);
        head.extend(["retained", "objects", "during init"]);
    }
    let mut table = Table::new("  ", columns);
    table.row(head);
    for p in &ps[..n] {
        let mut row = vec![
            p.path.clone(),
            human_bytes(p.init_bytes),
            p.init_allocs.to_string(),
            format!("{:.3}", p.init_clock_ms),
        ];
        if probe {
            row.extend([
                human_bytes(p.retained_bytes),
                p.retained_objects.to_string(),
                human_bytes(p.retained_init_bytes),
            ]);
        }
        table.row(row);
    }
    table.write(out)?;
    if n < ps.len() {
        writeln!(out, "  ... {} more (--top 0 for all)", ps.len() - n)?;
    }
    if probe {
        // Recording every allocation slows allocation-heavy inits (seen: 4x).
        writeln!(out, "  (ms: with every allocation profiled, slower than a plain run; --binary times a plain build)")?;
    }
    writeln!(out)
}
