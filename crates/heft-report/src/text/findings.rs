//! Findings, by section.

use std::io::{self, Write};

use heft_analyze::Diagnostic;
use heft_analyze::findings::Findings;

use crate::{Shown, human_bytes};

fn at(d: &Diagnostic, shown: &Shown) -> String {
    d.location.as_ref().map(|l| shown.at(l)).unwrap_or_default()
}

/// Every finding: test-only code, eager initialization, constant-only imports.
pub fn findings(out: &mut impl Write, f: &Findings, shown: &Shown) -> io::Result<()> {
    writeln!(out, "# Test-only code in the binaries ({})", f.test_code.len())?;
    if f.test_code.is_empty() {
        writeln!(out, "none")?;
    }
    for d in &f.test_code {
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
    let s = &f.eager_init;
    let count: usize = s.packages.iter().map(|p| p.initializers.len()).sum();
    writeln!(out)?;
    writeln!(
        out,
        "# Eager initialization ({count} initializer(s) in {} package(s), ranked by {})",
        s.packages.len(),
        if s.ranked_by == "initializers" { "number of initializers" } else { "measured init bytes" }
    )?;
    for p in &s.packages {
        let bytes = p.init_bytes.map(|b| format!(", init {}", human_bytes(b))).unwrap_or_default();
        writeln!(out, "{}  ({} initializer(s){bytes})", p.package, p.initializers.len())?;
        for d in &p.initializers {
            writeln!(out, "  {}  {}", at(d, shown), d.message)?;
            if let Some(recipe) = &d.recipe {
                writeln!(out, "      recipe: {recipe}")?;
            }
        }
    }
    writeln!(out)?;
    writeln!(out, "# Constant-only imports that drag >= {} packages ({})", f.min_packages, f.constant_imports.len())?;
    if f.constant_imports.is_empty() {
        writeln!(out, "none")?;
    }
    for d in &f.constant_imports {
        let mut sites = vec![at(d, shown)];
        sites.extend(d.related.iter().filter_map(|r| r.location.as_ref()).map(|l| shown.at(l)));
        let edge: Vec<&str> = d.chain.iter().map(|h| h.package.as_str()).collect();
        writeln!(out, "{}  {}", sites.join(", "), edge.join(" -> "))?;
        writeln!(out, "  the cut removes {} package(s): {}", d.removes.len(), d.removes.join(", "))?;
        if let Some(recipe) = &d.recipe {
            writeln!(out, "  recipe: {recipe}")?;
        }
    }
    Ok(())
}
