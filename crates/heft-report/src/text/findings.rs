//! Findings, by section, each section cut to its first entries unless all
//! are asked for.

use std::io::{self, Write};

use heft_analyze::Diagnostic;
use heft_analyze::findings::{EagerSection, Findings};

use crate::{Shown, human_bytes};

fn at(d: &Diagnostic, shown: &Shown) -> String {
    d.location.as_ref().map(|l| shown.at(l)).unwrap_or_default()
}

/// "… and N more (hint)" when a section was cut.
fn more(out: &mut impl Write, shown_count: usize, total: usize, what: &str, hint: &str) -> io::Result<()> {
    if total > shown_count {
        writeln!(out, "... and {} more {what} ({hint})", total - shown_count)?;
    }
    Ok(())
}

/// Every finding: test-only code, eager initialization, constant-only
/// imports; at most `limit` entries per section (0: all), saying how many
/// more there are and that `hint` shows them.
pub fn findings(out: &mut impl Write, f: &Findings, shown: &Shown, limit: usize, hint: &str) -> io::Result<()> {
    let cap = |n: usize| heft_analyze::top(limit, n);
    writeln!(out, "# Test-only code in the binaries ({})", f.test_code.len())?;
    if f.test_code.is_empty() {
        writeln!(out, "none")?;
    }
    for d in &f.test_code[..cap(f.test_code.len())] {
        let package = d.chain.last().map_or("", |h| h.package.as_str());
        writeln!(out, "{package}  (linked by {})", d.binaries.join(", "))?;
        writeln!(out, "  why:")?;
        for h in &d.chain {
            match &h.at {
                None if h.package == d.chain[0].package => writeln!(out, "    {}", h.package)?,
                None => writeln!(out, "      -> {}  (implicit)", h.package)?,
                Some(loc) => writeln!(out, "      -> {}  ({})", h.package, shown.at(loc))?,
            }
        }
        writeln!(out, "  your imports that bring it in:")?;
        for r in &d.related {
            let loc = r.location.as_ref().map(|l| shown.at(l)).unwrap_or_default();
            writeln!(out, "    {loc}  {}", r.message)?;
            if let Some(note) = &r.note {
                writeln!(out, "      {note}")?;
            }
            if let Some(recipe) = &r.recipe {
                writeln!(out, "      recipe: {recipe}")?;
            }
        }
    }
    more(out, cap(f.test_code.len()), f.test_code.len(), "test packages", hint)?;
    writeln!(out)?;
    eager(out, &f.eager_init, shown, limit, hint)?;
    writeln!(out)?;
    let n = f.constant_imports.len();
    writeln!(out, "# Constant-only imports that drag >= {} packages ({n})", f.min_packages)?;
    if n == 0 {
        writeln!(out, "none")?;
    }
    for d in &f.constant_imports[..cap(n)] {
        let mut sites = vec![at(d, shown)];
        sites.extend(d.related.iter().filter_map(|r| r.location.as_ref()).map(|l| shown.at(l)));
        let edge: Vec<&str> = d.chain.iter().map(|h| h.package.as_str()).collect();
        writeln!(out, "{}  {}", sites.join(", "), edge.join(" -> "))?;
        writeln!(out, "  the cut removes {} package(s): {}", d.removes.len(), d.removes.join(", "))?;
        if let Some(recipe) = &d.recipe {
            writeln!(out, "  recipe: {recipe}")?;
        }
    }
    more(out, cap(n), n, "constant-only imports", hint)
}

/// Initializers shown per package when the output is cut.
const PER_PACKAGE: usize = 5;

fn eager(out: &mut impl Write, s: &EagerSection, shown: &Shown, limit: usize, hint: &str) -> io::Result<()> {
    let count: usize = s.packages.iter().map(|p| p.initializers.len()).sum();
    let ranked = if s.ranked_by == "measured" {
        "ranked by measured init heap and bytes"
    } else {
        "ranked by a static estimate: `heft measure` gives the real ranking"
    };
    writeln!(out, "# Eager initialization ({count} in {} package(s) of yours, {ranked})", s.packages.len())?;
    let cap = heft_analyze::top(limit, s.packages.len());
    for p in &s.packages[..cap] {
        let mut measured = Vec::new();
        if let Some(b) = p.init_bytes {
            measured.push(format!("init {}", human_bytes(b)));
        }
        if let Some(b) = p.retained_bytes.filter(|&b| b > 0) {
            measured.push(format!("{} retained", human_bytes(b)));
        }
        let measured = if measured.is_empty() { String::new() } else { format!(", {}", measured.join(", ")) };
        writeln!(out, "{}  ({} initializer(s){measured})", p.package, p.initializers.len())?;
        let per = if limit == 0 { p.initializers.len() } else { PER_PACKAGE.min(p.initializers.len()) };
        for d in &p.initializers[..per] {
            writeln!(out, "  {}  {}", at(d, shown), d.message)?;
            if let Some(recipe) = &d.recipe {
                writeln!(out, "      recipe: {recipe}")?;
            }
        }
        if per < p.initializers.len() {
            writeln!(out, "  ... and {} more in this package", p.initializers.len() - per)?;
        }
    }
    more(out, cap, s.packages.len(), "packages", hint)?;
    let l = &s.left_out;
    let mut left = Vec::new();
    if l.dependency_packages > 0 {
        left.push(format!("{} dependency package(s) not looked at (--include-deps)", l.dependency_packages));
    }
    if l.generated > 0 {
        left.push(format!("{} in generated files (--generated)", l.generated));
    }
    if l.unreferenced_maps > 0 {
        left.push(format!("{} map literal(s) nothing references (the linker drops them)", l.unreferenced_maps));
    }
    if l.measured_free > 0 {
        left.push(format!("{} package(s) whose init allocates and keeps nothing (measured)", l.measured_free));
    }
    if !left.is_empty() {
        writeln!(out, "left out: {}", left.join("; "))?;
    }
    Ok(())
}

/// Entries per kind in the report's summary of the findings.
const SUMMARY: usize = 5;

/// The findings in a few lines, one per finding (the first few of each
/// kind), for the report; `heft findings` has the chains and recipes.
pub fn findings_summary(out: &mut impl Write, f: &Findings, shown: &Shown, command: &str) -> io::Result<()> {
    writeln!(out, "findings (each with its chain and recipe: {command}):")?;
    let line = |d: &Diagnostic| {
        let at = d.location.as_ref().map(|l| format!("  ({})", shown.at(l))).unwrap_or_default();
        format!("{}{at}", d.message)
    };
    for (label, list) in [("test-only code", &f.test_code), ("constant-only", &f.constant_imports)] {
        if list.is_empty() {
            writeln!(out, "  {label:<15} none")?;
        }
        for d in list.iter().take(SUMMARY) {
            writeln!(out, "  {label:<15} {}", line(d))?;
        }
        if list.len() > SUMMARY {
            writeln!(out, "  {:<15} ... and {} more", "", list.len() - SUMMARY)?;
        }
    }
    let e = &f.eager_init;
    let count: usize = e.packages.iter().map(|p| p.initializers.len()).sum();
    writeln!(out, "  {:<15} {count} in {} package(s) of yours; heaviest first:", "eager init", e.packages.len())?;
    for p in e.packages.iter().take(SUMMARY) {
        let first = p.initializers.first().map(line).unwrap_or_default();
        writeln!(out, "  {:<15}   {} ({}): {first}", "", p.package, p.initializers.len())?;
    }
    if e.packages.len() > SUMMARY {
        writeln!(out, "  {:<15}   ... and {} more packages", "", e.packages.len() - SUMMARY)?;
    }
    Ok(())
}
