//! `heft explain`: the anatomy of one import edge A→B — what A uses of B,
//! where, and how to cut the edge.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use heft_load::Package;
use heft_syntax::{Anatomy, Recipe};
use serde::Serialize;

use crate::{LoadArgs, report_package_errors, shown_path};

#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Print JSON (docs/json.md, "heft explain").
    #[arg(long)]
    json: bool,
    /// The root: a main package (./cmd/x or an import path).
    #[arg(value_name = "ROOT")]
    root: String,
    /// The importing package (import path, or a unique suffix of one).
    #[arg(value_name = "A")]
    importer: String,
    /// The imported package (import path, or a unique suffix of one).
    #[arg(value_name = "B")]
    imported: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplainJson<'a> {
    importer: &'a str,
    imported: &'a str,
    /// The import sites, `file:line:col` relative to the importer's directory.
    import_sites: Vec<String>,
    #[serde(flatten)]
    anatomy: &'a Anatomy,
    recipe: &'a Recipe,
    recipe_text: String,
}

/// The anatomy of the edge importer → imported of a loaded program.
pub fn edge_anatomy(importer: &Package, imported: &Package) -> Result<Anatomy> {
    let files = |p: &Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    heft_syntax::explain(&importer.dir, &files(importer), &imported.path, &imported.dir, &files(imported))
        .with_context(|| format!("reading {} → {}", importer.path, imported.path))
}

pub fn run(args: &ExplainArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(std::slice::from_ref(&args.root))?;
    let had_errors = report_package_errors(&prog, args.load.keep_going);
    if had_errors && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let a = crate::select::package(&prog, &args.load.dir, &args.importer)?;
    let b = crate::select::package(&prog, &args.load.dir, &args.imported)?;
    let (pa, pb) = (prog.package(a), prog.package(b));
    let Some(import) = pa.imports.iter().find(|i| i.target == b) else {
        bail!("{} does not import {}", pa.path, pb.path);
    };
    let anatomy = edge_anatomy(pa, pb)?;
    let recipe = anatomy.recipe();
    let cwd = std::env::current_dir().unwrap_or_default();
    let rel = |file: &str| shown_path(&pa.dir.join(file), &cwd).display().to_string();
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        let doc = ExplainJson {
            importer: &pa.path,
            imported: &pb.path,
            import_sites: import.sites.iter().map(|s| format!("{}:{}:{}", pa.site_file(s), s.line, s.col)).collect(),
            anatomy: &anatomy,
            recipe: &recipe,
            recipe_text: recipe.text(),
        };
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{} -> {}", pa.path, pb.path)?;
    for s in &import.sites {
        writeln!(out, "  imported at {}:{}", rel(pa.site_file(s)), s.line)?;
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
            writeln!(out, "      {}:{}:{}", rel(&s.file), s.line, s.col)?;
        }
    }
    writeln!(out, "recipe: {}", recipe.text())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
