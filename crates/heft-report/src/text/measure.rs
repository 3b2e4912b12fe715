//! `heft measure`: heap, allocations and time at the end of init.

use std::io::{self, Write};

use heft_measure::{BinaryMeasure, PackageMeasure};

use crate::human_bytes;

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
    if b.mode == "binary" {
        writeln!(out, "  {:<50} {:>10} {:>7} {:>8}", "package", "init", "allocs", "ms")?;
        for p in &ps[..n] {
            writeln!(
                out,
                "  {:<50} {:>10} {:>7} {:>8.3}",
                p.path,
                human_bytes(p.init_bytes),
                p.init_allocs,
                p.init_clock_ms
            )?;
        }
    } else {
        probe_rows(out, &ps[..n])?;
    }
    if n < ps.len() {
        writeln!(out, "  ... {} more (--top 0 for all)", ps.len() - n)?;
    }
    if b.mode != "binary" {
        // Recording every allocation slows allocation-heavy inits (seen: 4x).
        writeln!(out, "  (ms: with every allocation profiled, slower than a plain run; --binary times a plain build)")?;
    }
    writeln!(out)
}

fn probe_rows(out: &mut impl Write, ps: &[&PackageMeasure]) -> io::Result<()> {
    writeln!(
        out,
        "  {:<50} {:>10} {:>7} {:>8} {:>10} {:>8} {:>12}",
        "package", "init", "allocs", "ms", "retained", "objects", "during init"
    )?;
    for p in ps {
        writeln!(
            out,
            "  {:<50} {:>10} {:>7} {:>8.3} {:>10} {:>8} {:>12}",
            p.path,
            human_bytes(p.init_bytes),
            p.init_allocs,
            p.init_clock_ms,
            human_bytes(p.retained_bytes),
            p.retained_objects,
            human_bytes(p.retained_init_bytes)
        )?;
    }
    Ok(())
}
