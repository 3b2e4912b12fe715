//! The anatomy of one import edge.

use std::io::{self, Write};

use heft_analyze::Location;
use heft_analyze::recipe::Recipe;
use heft_load::{PkgId, Program};
use heft_syntax::Anatomy;

use crate::Shown;

/// What `a` uses of `b`, where, and the recipe to cut the edge.
pub fn explain(
    out: &mut impl Write,
    prog: &Program,
    a: PkgId,
    b: PkgId,
    anatomy: &Anatomy,
    recipe: &Recipe,
    shown: &Shown,
) -> io::Result<()> {
    let (pa, pb) = (prog.package(a), prog.package(b));
    writeln!(out, "{} -> {}", pa.path, pb.path)?;
    for imp in pa.imports.iter().filter(|i| i.target == b) {
        for s in &imp.sites {
            writeln!(out, "  imported at {}", shown.at(&Location::of_site(prog, a, s)))?;
        }
    }
    let c = &anatomy.counts;
    let kinds: Vec<String> = c.by_kind.iter().map(|(k, n)| format!("{n} {}", k.as_str())).collect();
    writeln!(
        out,
        "uses {} identifier(s) of {} ({}), {} member(s), {} use site(s)",
        c.identifiers,
        anatomy.package_name,
        if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") },
        c.members,
        c.uses
    )?;
    for i in &anatomy.idents {
        let mut note = String::new();
        if i.errors_target {
            note.push_str(", errors.As/Is target");
        }
        if i.test_helper {
            note.push_str(", takes a testing parameter");
        }
        if let Some(l) = i.decl_lines {
            note.push_str(&format!(", {l} line(s)"));
        }
        writeln!(out, "  {:<10} {}.{}{}", i.kind.as_str(), anatomy.package_name, i.name, note)?;
        for s in &i.sites {
            writeln!(out, "      {}", shown.at_col(&Location::new(prog, a, &s.file, s.line, s.col)))?;
        }
    }
    writeln!(out, "recipe: {}", recipe.text())
}
