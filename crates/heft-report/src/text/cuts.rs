//! Ranked cuts and eviction plans.

use std::io::{self, Write};

use heft_analyze::cuts::{CutRow, ModuleCutRow, PackageCutRow};
use heft_analyze::evict::{Eviction, Freed};
use heft_analyze::{ImportGraph, Location, ModuleGraph, Weight};
use heft_load::{Import, PkgId, Program};

use crate::{Shown, human_bytes, plural};

/// "file:line" of each site of an import, or what added an implicit one.
pub fn sites(prog: &Program, importer: PkgId, imp: &Import, shown: &Shown) -> String {
    if imp.sites.is_empty() {
        return "(implicit: added by the toolchain)".to_string();
    }
    imp.sites.iter().map(|s| shown.at(&Location::of_site(prog, importer, s))).collect::<Vec<_>>().join(", ")
}

fn edge_sites(prog: &Program, ig: &ImportGraph, edge: u32, shown: &Shown) -> String {
    let (_, imp) = ig.import(prog, edge);
    sites(prog, ig.graph.edge(edge).0, imp, shown)
}

/// Ranked cuts, `--by` saying which measured figure to show.
pub fn cuts(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    rows: &[CutRow],
    by: Weight,
    shown: &Shown,
) -> io::Result<()> {
    if rows.is_empty() {
        writeln!(out, "no single import of yours frees anything (try --include-deps)")?;
    }
    for (i, r) in rows.iter().enumerate() {
        if r.structure.is_some() && (i == 0 || rows[i - 1].structure.is_none()) {
            writeln!(out, "  parts of your own program (ranked last: each drops your code, not a dependency):")?;
        }
        let (from, imp) = ig.import(prog, r.edge);
        let dep = if r.in_dependency { "  [in a dependency]" } else { "" };
        writeln!(out, "{:>3}. {} -> {}{dep}", i + 1, from.path, imp.path)?;
        let names: Vec<&str> = r.removed.iter().take(4).map(|&id| prog.package(id).path.as_str()).collect();
        let more = if r.removed.len() > names.len() {
            format!(", +{} more", r.removed.len() - names.len())
        } else {
            String::new()
        };
        let measured = match by {
            Weight::InitBytes => format!(", {} allocated by init", human_bytes(r.weight)),
            Weight::InitAllocs => format!(", {} init allocations", r.weight),
            Weight::Heap => format!(", {} of heap retained after init", human_bytes(r.weight)),
            Weight::Binary if r.weightless > 0 => {
                format!(", {} of binary ({} dropped by the linker already)", human_bytes(r.weight), r.weightless)
            }
            Weight::Binary => format!(", {} of binary", human_bytes(r.weight)),
            _ => String::new(),
        };
        writeln!(
            out,
            "     removes {} package{}, {} of source{measured}: {}{more}",
            r.packages,
            plural(r.packages),
            human_bytes(r.source),
            names.join(", ")
        )?;
        writeln!(out, "     at {}", edge_sites(prog, ig, r.edge, shown))?;
        if let Some(s) = r.structure {
            if s.takes_most() {
                writeln!(
                    out,
                    "     part of your program: the cut drops {} of your code, most of the {} you link",
                    human_bytes(s.own_removed),
                    human_bytes(s.own_linked)
                )?;
            } else {
                writeln!(
                    out,
                    "     part of your program: the cut drops {} of your code, and {} builds on {} more of it that stays",
                    human_bytes(s.own_removed),
                    imp.path,
                    human_bytes(s.own_kept)
                )?;
            }
        }
        if let (Some(a), Some(recipe)) = (&r.anatomy, &r.recipe) {
            let n = a.counts.identifiers;
            writeln!(out, "     uses {n} identifier{}: {}", plural(n as u64), recipe.text())?;
        } else if let Some(n) = r.uses {
            writeln!(out, "     uses {n} identifier{} (heft explain gives the recipe)", plural(n))?;
        }
        for &alt in &r.alternatives {
            let (a, ai) = ig.import(prog, alt);
            writeln!(out, "     or cut {} -> {} at {}", a.path, ai.path, edge_sites(prog, ig, alt, shown))?;
        }
    }
    Ok(())
}

/// Packages ranked by what disappears with them.
pub fn package_cuts(out: &mut impl Write, prog: &Program, rows: &[PackageCutRow]) -> io::Result<()> {
    for (i, r) in rows.iter().enumerate() {
        writeln!(
            out,
            "{:>3}. {}  frees {} package{}, {} of source",
            i + 1,
            prog.package(r.package).path,
            r.packages,
            plural(r.packages),
            human_bytes(r.source)
        )?;
    }
    Ok(())
}

/// Module edges ranked by what cutting them frees.
pub fn module_cuts(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    mg: &ModuleGraph,
    rows: &[ModuleCutRow],
    shown: &Shown,
) -> io::Result<()> {
    if rows.is_empty() {
        writeln!(out, "no single module dependency of yours frees anything (try --include-deps)")?;
    }
    for (i, r) in rows.iter().enumerate() {
        let (a, b) = mg.graph.edge(r.edge);
        writeln!(out, "{:>3}. {} => {}", i + 1, mg.names[a as usize], mg.names[b as usize])?;
        let names: Vec<&str> = r.removed.iter().take(4).map(|&m| mg.names[m as usize].as_str()).collect();
        writeln!(
            out,
            "     removes {} module(s), {} packages, {} of source: {}",
            r.removed.len(),
            r.packages,
            human_bytes(r.source),
            names.join(", ")
        )?;
        let behind = &mg.imports[r.edge as usize];
        for &e in behind.iter().take(5) {
            let (from, imp) = ig.import(prog, e);
            writeln!(out, "     through {} -> {} at {}", from.path, imp.path, edge_sites(prog, ig, e, shown))?;
        }
        if behind.len() > 5 {
            writeln!(out, "     and {} more imports", behind.len() - 5)?;
        }
    }
    Ok(())
}

/// An eviction plan for `target` (which names `targets`), what it frees,
/// and the other kind of plan when it differs.
#[allow(clippy::too_many_arguments)]
pub fn eviction(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    target: &str,
    targets: &[PkgId],
    chosen: (&Eviction, &Freed),
    other: Option<(&Eviction, &Freed)>,
    shown: &Shown,
) -> io::Result<()> {
    let (ev, freed) = chosen;
    let n = ev.plan.edges.len() as u64;
    writeln!(
        out,
        "to free {target} ({} package{}), cut {n} import{}{}:",
        targets.len(),
        plural(targets.len() as u64),
        plural(n),
        if ev.effort.is_empty() { " (the fewest)" } else { " (the least rework: weighed by what each importer uses)" }
    )?;
    plan_edges(out, prog, ig, ev, shown)?;
    writeln!(out, "this removes {}", freed_words(freed))?;
    if let Some((ev, freed)) = other {
        let n = ev.plan.edges.len() as u64;
        writeln!(
            out,
            "\n{}: {n} import{}, removing {}:",
            if ev.effort.is_empty() { "or the fewest imports" } else { "or the least rework" },
            plural(n),
            freed_words(freed)
        )?;
        plan_edges(out, prog, ig, ev, shown)?;
    }
    Ok(())
}

fn plan_edges(out: &mut impl Write, prog: &Program, ig: &ImportGraph, ev: &Eviction, shown: &Shown) -> io::Result<()> {
    for (i, &e) in ev.plan.edges.iter().enumerate() {
        let (from, imp) = ig.import(prog, e);
        let uses = match ev.effort.get(i) {
            Some(&u) => format!("  (uses {u} identifier{})", plural(u)),
            None => String::new(),
        };
        writeln!(out, "{:>3}. {} -> {}  at {}{uses}", i + 1, from.path, imp.path, edge_sites(prog, ig, e, shown))?;
    }
    Ok(())
}

/// "309 packages, 26.6 MB of source, …": every weight known.
fn freed_words(f: &Freed) -> String {
    let mut words = vec![
        format!("{} package{}", f.packages, plural(f.packages)),
        format!("{} of source", human_bytes(f.source_bytes)),
    ];
    if let Some(b) = f.init_bytes {
        words.push(format!("{} allocated by init", human_bytes(b)));
    }
    if let Some(b) = f.heap_bytes {
        words.push(format!("{} of heap retained after init", human_bytes(b)));
    }
    if let Some(b) = f.binary_bytes {
        words.push(format!("{} of binary", human_bytes(b)));
    }
    words.join(", ")
}
