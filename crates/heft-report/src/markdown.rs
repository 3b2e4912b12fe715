//! Markdown, for a pull request or an issue.

use std::io::{self, Write};

use heft_analyze::ImportGraph;
use heft_analyze::report::{PLAN_EDGES_SHOWN, Report};
use heft_load::Program;

use crate::text::measured_cells;
use crate::{Shown, human_bytes};

/// The report: a table of binaries, tables of the top cuts, the heaviest
/// modules, and the findings as text.
pub fn report(out: &mut impl Write, prog: &Program, ig: &ImportGraph, r: &Report, shown: &Shown) -> io::Result<()> {
    let (binaries, all) = (&r.binaries, r.all.as_ref());
    writeln!(
        out,
        "| binary | packages | exclusive | source | heap at end of init | mallocs | binary |\n|:---|---:|---:|---:|---:|---:|---:|"
    )?;
    for b in binaries.iter().chain(all) {
        let excl = b.exclusive.map_or(String::from("–"), |e| e.to_string());
        let [heap, mallocs, size] = measured_cells(b.measured, "–");
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {heap} | {mallocs} | {size} |",
            b.label(),
            b.packages,
            excl,
            human_bytes(b.source)
        )?;
    }
    for b in all.into_iter().chain(binaries) {
        writeln!(out, "\n### Top cuts for `{}`\n", b.label())?;
        if b.cuts.is_empty() {
            writeln!(out, "No single import of yours frees anything.")?;
            continue;
        }
        writeln!(out, "| # | cut | removes | source | heaviest removed |\n|---:|:---|---:|---:|:---|")?;
        for (i, c) in b.cuts.iter().enumerate() {
            let (from, imp) = ig.import(prog, c.edge);
            let names: Vec<String> =
                c.removed.iter().take(3).map(|&id| format!("`{}`", prog.package(id).path)).collect();
            let structure = if c.structure.is_some() { " (part of your program)" } else { "" };
            writeln!(
                out,
                "| {} | `{}` → `{}`{structure} | {} | {} | {} |",
                i + 1,
                from.path,
                imp.path,
                c.packages,
                human_bytes(c.source),
                names.join(", ")
            )?;
        }
    }
    if !r.modules.is_empty() {
        writeln!(out, "\n### Heaviest dependency modules\n")?;
        writeln!(out, "| module | packages | source | cheapest plan |\n|:---|---:|---:|:---|")?;
        for m in &r.modules {
            let plan = match (&m.plan, m.structural) {
                (Some(_), Some((own, of))) => {
                    format!("only by cutting your program's own structure ({own} of your {of} packages would go)")
                }
                (Some((edges, removed)), None) => {
                    let mut cuts: Vec<String> = edges
                        .iter()
                        .take(PLAN_EDGES_SHOWN)
                        .map(|&e| {
                            let (from, imp) = ig.import(prog, e);
                            format!("`{}` → `{}`", from.path, imp.path)
                        })
                        .collect();
                    if edges.len() > PLAN_EDGES_SHOWN {
                        cuts.push(format!("and {} more", edges.len() - PLAN_EDGES_SHOWN));
                    }
                    format!("{} import(s) free {removed} packages: {}", edges.len(), cuts.join("; "))
                }
                (None, _) => "none of your imports can free it".to_string(),
            };
            writeln!(out, "| `{}` {} | {} | {} | {plan} |", m.path, m.version, m.packages, human_bytes(m.source))?;
        }
    }
    if let Some(f) = &r.findings {
        writeln!(out, "\n### Findings\n\n```text")?;
        crate::text::findings_summary(out, f, shown, "heft findings")?;
        writeln!(out, "```")?;
    }
    Ok(())
}

/// `heft diff --markdown`: one pull-request comment — the before/after
/// table, then per binary that changed the imports that did it, with the
/// package lists folded.
pub fn diff(out: &mut impl Write, d: &heft_analyze::diff::ProgramDiff, base: &str, head: &str) -> io::Result<()> {
    writeln!(out, "### heft: what `{head}` does to the binaries (against `{base}`)\n")?;
    let measured = crate::text::any_measured(d);
    if d.binaries.iter().any(|b| b.changed()) {
        if measured {
            writeln!(
                out,
                "| binary | packages | source | heap at end of init | mallocs | binary |\n|:---|---:|---:|---:|---:|---:|"
            )?;
        } else {
            writeln!(out, "| binary | packages | source |\n|:---|---:|---:|")?;
        }
        for b in d.binaries.iter().filter(|b| b.changed()) {
            let cells = crate::text::cells(b, measured);
            writeln!(out, "| `{}` | {} |", b.root, cells.join(" | "))?;
        }
    }
    let unchanged = crate::text::unchanged(d);
    if !unchanged.is_empty() {
        writeln!(out, "\n{}{}.", unchanged[..1].to_uppercase(), &unchanged[1..])?;
    }
    // One folded section per binary: what came in and what went, heaviest
    // first, the first imports and packages only (--json has them all).
    const EDGES: usize = 10;
    const NAMES: usize = 12;
    for b in d.binaries.iter().filter(|b| !b.added.is_empty() || !b.removed.is_empty()) {
        let count = |edges: &[heft_analyze::diff::EdgeChange]| edges.len();
        writeln!(
            out,
            "\n<details><summary><code>{}</code>: {} import(s) brought packages in, {} let packages go</summary>\n",
            b.root,
            count(&b.added),
            count(&b.removed)
        )?;
        for (verb, edges) in [("brings", &b.added), ("is gone, and with it", &b.removed)] {
            for e in edges.iter().take(EDGES) {
                let at = e.site.as_ref().map(|l| format!(" at `{}:{}`", l.file, l.line)).unwrap_or_default();
                let names: Vec<String> = e.packages.iter().take(NAMES).map(|p| format!("`{p}`")).collect();
                let more = if e.packages.len() > NAMES {
                    format!(", +{} more", e.packages.len() - NAMES)
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "- `{}` → `{}`{at} {verb} {} package(s), {} of source: {}{more}",
                    e.importer,
                    e.imported,
                    e.packages.len(),
                    human_bytes(e.source_bytes),
                    names.join(", ")
                )?;
            }
            if edges.len() > EDGES {
                writeln!(out, "- and {} more (`heft diff --json` lists every one)", edges.len() - EDGES)?;
            }
        }
        writeln!(out, "\n</details>")?;
    }
    if !d.new_findings.is_empty() {
        writeln!(out, "\n#### New findings\n")?;
        for f in &d.new_findings {
            let at = f.location.as_ref().map(|l| format!(" at `{}:{}`", l.file, l.line)).unwrap_or_default();
            let help = f.recipe.as_ref().map(|r| format!(" — {r}")).unwrap_or_default();
            writeln!(out, "- **{}**{at}: {}{help}", f.code.as_str(), f.message)?;
        }
    }
    Ok(())
}

/// `heft heap --markdown`: the three lists as tables, `top` rows each.
pub fn heap(out: &mut impl Write, r: &heft_analyze::heap::HeapReport, top: usize) -> io::Result<()> {
    use heft_analyze::heap::short_function;
    writeln!(
        out,
        "**Heap profile** of `{}`: {} in {} objects\n",
        r.binary,
        human_bytes(r.total_bytes),
        r.total_objects
    )?;
    for (title, list) in [("By allocating package", &r.by_allocator), ("By your package", &r.by_user_package)] {
        writeln!(out, "#### {title}\n\n| bytes | objects | package | chain |\n|---:|---:|:---|:---|")?;
        for p in &list[..heft_analyze::top(top, list.len())] {
            let chain: Vec<&str> = p.chain.iter().map(|h| h.package.as_str()).collect();
            writeln!(out, "| {} | {} | `{}` | {} |", human_bytes(p.bytes), p.objects, p.package, chain.join(" → "))?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "#### By constructor\n\n| bytes | calls | constructor | allocating function |\n|---:|---:|:---|:---|"
    )?;
    for g in &r.constructors[..heft_analyze::top(top, r.constructors.len())] {
        writeln!(
            out,
            "| {} | {}{} | `{}` | `{}` |",
            human_bytes(g.bytes),
            g.sites.len(),
            if g.package_level { " (package-level)" } else { "" },
            short_function(&g.constructor),
            short_function(&g.allocator)
        )?;
    }
    Ok(())
}

/// `heft heap --markdown OLD NEW`.
pub fn heap_diff(out: &mut impl Write, d: &heft_analyze::heap::HeapDiff, top: usize) -> io::Result<()> {
    writeln!(out, "**Heap**: {} → {}\n", human_bytes(d.old_bytes), human_bytes(d.new_bytes))?;
    for (title, list) in [("By allocating package", &d.by_allocator), ("By your package", &d.by_user_package)] {
        writeln!(out, "#### {title}\n\n| old | new | change | package |\n|---:|---:|---:|:---|")?;
        for p in &list[..heft_analyze::top(top, list.len())] {
            writeln!(
                out,
                "| {} | {} | {} | `{}` |",
                human_bytes(p.old_bytes),
                human_bytes(p.new_bytes),
                crate::signed_bytes(p.delta()),
                p.package
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// `heft gc --markdown`: a table of the runs (the sweep's, with the sweet
/// spot marked), then the advice.
pub fn gc(out: &mut impl Write, r: &heft_measure::gc::GcReport) -> io::Result<()> {
    use crate::text::{median, opt_mib, per_minute, percent, settings};
    writeln!(out, "`{}`\n", r.command.join(" "))?;
    writeln!(
        out,
        "| settings | time | GCs | GC/min | GC CPU | natural heap (median / peak) | peak RSS | |\n|:---|---:|---:|---:|---:|---:|---:|:---|"
    )?;
    for run in &r.runs {
        let mark = match &r.sweep {
            Some(s) if s.sweet_spot.is_some() && s.sweet_spot == run.gomemlimit => "**sweet spot**".to_string(),
            Some(s) if run.gomemlimit.as_ref().is_some_and(|l| s.below_natural_heap.contains(l)) => {
                "below the natural heap".to_string()
            }
            _ if !run.ended.normal() => format!("the program {}", run.ended.describe(run.seconds)),
            _ => String::new(),
        };
        writeln!(
            out,
            "| {} | {:.1} s | {} | {} | {} | {} / {} | {} | {mark} |",
            settings(run),
            run.seconds,
            run.gcs,
            per_minute(run.gc_per_minute),
            percent(run.gc_cpu_percent),
            median(run.natural_heap_median_mib),
            opt_mib(run.natural_heap_peak_mib),
            opt_mib(run.peak_rss_bytes.map(|b| b.div_ceil(1 << 20))),
        )?;
    }
    if let Some(s) = &r.sweep {
        writeln!(
            out,
            "\nSweet spot: the smallest limit whose GC/min is at most {}× the largest limit's (≤ {} GC/min){}.",
            s.factor,
            per_minute(s.threshold_gc_per_minute),
            if s.sweet_spot.is_none() { ": none qualifies" } else { "" }
        )?;
    }
    if let Some(a) = &r.advice {
        let [limit, container] = crate::text::advice_sentences(a, "`GOMEMLIMIT=", "`");
        writeln!(out, "\n- **GOMEMLIMIT**: {limit}\n- **container**: {container}")?;
    }
    Ok(())
}
