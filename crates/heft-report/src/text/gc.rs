//! `heft gc`: a run's GC numbers, or a sweep's table, and the advice.

use std::io::{self, Write};

use heft_measure::gc::{Advice, CONTAINER_ROUND_MIB, GcReport, GcRun, Sweep};

use crate::table::{Column, Table};

/// MiB, whole, from bytes (rounded up).
pub(crate) fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes.div_ceil(1 << 20))
}

pub(crate) fn opt_mib(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_string(), |n| format!("{n} MiB"))
}

pub(crate) fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "-".to_string(), |p| format!("{p:.0}%"))
}

/// A number of GC/min as shown: one decimal below 10.
pub(crate) fn per_minute(x: f64) -> String {
    if x < 10.0 { format!("{x:.1}") } else { format!("{x:.0}") }
}

/// The settings of a run: `GOGC=off GOMEMLIMIT=128MiB`.
pub(crate) fn settings(r: &GcRun) -> String {
    let gogc = r.gogc.as_deref().map_or("GOGC=100 (default)".to_string(), |g| format!("GOGC={g}"));
    let limit = r.gomemlimit.as_deref().map_or("no GOMEMLIMIT".to_string(), |l| format!("GOMEMLIMIT={l}"));
    format!("{gogc}, {limit}")
}

/// The median as shown: whole MiB, or one decimal for a half.
pub(crate) fn median(m: Option<f64>) -> String {
    match m {
        None => "-".to_string(),
        Some(m) if m.fract() == 0.0 => format!("{m:.0} MiB"),
        Some(m) => format!("{m:.1} MiB"),
    }
}

/// The report of `heft gc`: one run, or a sweep.
pub fn gc(out: &mut impl Write, r: &GcReport) -> io::Result<()> {
    writeln!(out, "{}", r.command.join(" "))?;
    match &r.sweep {
        Some(s) => sweep(out, r, s)?,
        None => {
            for run in &r.runs {
                one_run(out, run)?;
            }
        }
    }
    if let Some(a) = &r.advice {
        advice(out, a)?;
    }
    Ok(())
}

fn one_run(out: &mut impl Write, r: &GcRun) -> io::Result<()> {
    writeln!(out, "  ran {:.2} s, {}; {}", r.seconds, r.ended.describe(r.seconds), settings(r))?;
    let forced = if r.forced_gcs > 0 {
        format!(" and {} forced by runtime.GC() (not in GC/min)", r.forced_gcs)
    } else {
        String::new()
    };
    writeln!(out, "  GCs           {}{forced}: {} GC/min", r.gcs, per_minute(r.gc_per_minute))?;
    writeln!(
        out,
        "  natural heap  median {}, peak {} (live heap after GC)",
        median(r.natural_heap_median_mib),
        opt_mib(r.natural_heap_peak_mib)
    )?;
    writeln!(out, "  GC CPU        {} of the program's time since it started", percent(r.gc_cpu_percent))?;
    let rss = r.peak_rss_bytes.map_or_else(|| "unknown".to_string(), mib);
    writeln!(out, "  peak RSS      {rss} (peak heap in use {})", opt_mib(r.peak_heap_mib))?;
    if r.unread_gc_lines > 0 {
        let n = r.unread_gc_lines;
        writeln!(out, "  warning: {n} gctrace line{} cut by other output, skipped", crate::plural(n))?;
    }
    Ok(())
}

fn sweep(out: &mut impl Write, r: &GcReport, s: &Sweep) -> io::Result<()> {
    writeln!(out, "  {} runs, GOGC={} and GOMEMLIMIT per run", r.runs.len(), s.gogc)?;
    let mut t = Table::new(
        "  ",
        vec![
            Column::right(5),
            Column::right(6).gap("  "),
            Column::right(6).gap("  "),
            Column::right(8).gap("  "),
            Column::right(12).gap("  "),
            Column::right(6).gap("  "),
            Column::left(0).gap("  "),
        ],
    );
    t.row(["limit", "GC/min", "GC CPU", "peak RSS", "natural heap median / peak", "time"]);
    for run in &r.runs {
        let limit = run.gomemlimit.clone().unwrap_or_else(|| "-".into());
        let mark = if s.sweet_spot.as_ref() == run.gomemlimit.as_ref() {
            "← sweet spot".to_string()
        } else if run.gomemlimit.as_ref().is_some_and(|l| s.below_natural_heap.contains(l)) {
            "below the natural heap".to_string()
        } else if !run.ended.normal() {
            format!("the program {}", run.ended.describe(run.seconds))
        } else {
            String::new()
        };
        let mut row = vec![
            limit,
            per_minute(run.gc_per_minute),
            percent(run.gc_cpu_percent),
            run.peak_rss_bytes.map_or_else(|| "-".to_string(), mib),
            format!("{} / {}", median(run.natural_heap_median_mib), opt_mib(run.natural_heap_peak_mib)),
            format!("{:.1} s", run.seconds),
        ];
        if !mark.is_empty() {
            row.push(mark);
        }
        t.row(row);
    }
    t.write(out)?;
    writeln!(
        out,
        "  sweet spot: the smallest limit whose GC/min is at most {}× the largest limit's (≤ {} GC/min){}",
        s.factor,
        per_minute(s.threshold_gc_per_minute),
        if s.sweet_spot.is_none() { ": none qualifies" } else { "" }
    )?;
    if !s.below_natural_heap.is_empty() {
        writeln!(
            out,
            "  below the natural heap ({}): the GC runs without end there, and a container at that size is OOM-killed",
            s.below_natural_heap.join(", ")
        )?;
    }
    Ok(())
}

fn advice(out: &mut impl Write, a: &Advice) -> io::Result<()> {
    let [limit, container] = advice_sentences(a, "GOMEMLIMIT=", "");
    writeln!(out, "\nadvice")?;
    writeln!(out, "  GOMEMLIMIT  {limit}")?;
    writeln!(out, "  container   {container}")
}

/// The two sentences of the advice, the memory limit and the container's,
/// with the setting quoted between `open` and `close` (text: none,
/// Markdown: backquotes).
pub(crate) fn advice_sentences(a: &Advice, open: &str, close: &str) -> [String; 2] {
    let [lo, hi] = a.gomemlimit_mib;
    let from = a.from_limit.as_deref().map_or_else(String::new, |l| format!(", run at {l}"));
    let limit = format!(
        "natural heap {} MiB (peak of heap after GC{from}) × {}–{} = {lo}–{hi} MiB: {open}{hi}MiB{close}",
        a.natural_heap_mib, a.factors[0], a.factors[1]
    );
    let container = match (a.overhead_mib, a.container_mib) {
        (Some(o), Some(c)) => format!(
            "{c} MiB = GOMEMLIMIT {hi} MiB + {o} MiB beyond the heap (peak RSS − peak heap in use), \
             rounded up to {CONTAINER_ROUND_MIB} MiB"
        ),
        _ => "unknown: no peak RSS was measured".to_string(),
    };
    [limit, container]
}
