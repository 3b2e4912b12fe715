//! `heft findings`: what the binaries carry that they should not — test-only
//! code linked into production, eager initialization, and imports used for
//! constants only that drag whole subtrees in.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use heft_graph::cuts::Cuts;
use heft_graph::why::shortest_chain;
use heft_load::{Package, PkgId, Program};
use heft_syntax::{Anatomy, EagerInit, Recipe, TEST_PACKAGES, matches_pattern};
use serde::Serialize;

use crate::analysis::{ImportGraph, anatomies_of, cuttable, human_bytes, user_owned};
use crate::{LoadArgs, report_package_errors, shown_path};

#[derive(Args, Debug)]
pub struct FindingsArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Print JSON (docs/json.md, "heft findings").
    #[arg(long)]
    json: bool,
    /// A saved `heft measure --json`: rank eager initialization by measured init bytes; repeatable.
    #[arg(long, value_name = "FILE")]
    measurements: Vec<PathBuf>,
    /// One more test package (import path, or prefix/... ); repeatable.
    #[arg(long = "test-package", value_name = "PATTERN")]
    test_packages: Vec<String>,
    /// Eager initialization: only the packages of your own modules (default: every non-std package).
    #[arg(long)]
    own: bool,
    /// Constant-only imports: report those whose cut removes at least this many packages.
    #[arg(long, value_name = "N", default_value_t = 3)]
    min_packages: u32,
    /// The binaries: main packages (./cmd/... or import paths).
    #[arg(value_name = "ROOT", required = true)]
    roots: Vec<String>,
}

/// Every finding for a loaded program: `extra_tests` extends the list of
/// test packages, `own` limits eager initialization to the user's modules.
pub fn collect(
    prog: &Program,
    extra_tests: &[String],
    own: bool,
    min_packages: u32,
    init_bytes: Option<&BTreeMap<String, u64>>,
) -> Result<Findings> {
    let ctx = Ctx { prog, ig: ImportGraph::of(prog), cwd: std::env::current_dir().unwrap_or_default() };
    let patterns: Vec<String> =
        TEST_PACKAGES.iter().map(|s| s.to_string()).chain(extra_tests.iter().cloned()).collect();
    Ok(Findings {
        test_packages: test_findings(&ctx, &patterns),
        eager_init: eager_findings(&ctx, own, init_bytes)?,
        constant_imports: constant_findings(&ctx, min_packages),
    })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Findings {
    test_packages: Vec<TestFinding>,
    eager_init: EagerSection,
    constant_imports: Vec<ConstantImport>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TestFinding {
    package: String,
    /// The roots (binaries) that link it.
    binaries: Vec<String>,
    /// The shortest chain from a root: packages with the importing file:line.
    why: Vec<Hop>,
    /// The user's own import edges that bring it in.
    imports: Vec<EdgeFinding>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Hop {
    package: String,
    /// `file:line` of the import of this package by the previous hop (absent for the root).
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EdgeFinding {
    importer: String,
    imported: String,
    /// `file:line` of each import spec.
    at: Vec<String>,
    /// Whether the importer imports the test package itself (else it imports
    /// the package that drags it in).
    direct: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    uses: Option<Vec<Use>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipe: Option<Recipe>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipe_text: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Use {
    name: String,
    kind: &'static str,
    at: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EagerSection {
    /// `measured-init-bytes` or `initializers`.
    ranked_by: &'static str,
    large_literal_elements: usize,
    packages: Vec<EagerPackage>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EagerPackage {
    package: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    init_bytes: Option<u64>,
    initializers: Vec<EagerInit>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConstantImport {
    importer: String,
    imported: String,
    at: Vec<String>,
    constants: Vec<String>,
    /// Packages the cut removes from every binary (the imported one included).
    packages_removed: u32,
    removed: Vec<String>,
    recipe_text: String,
}

struct Ctx<'a> {
    prog: &'a Program,
    ig: ImportGraph,
    cwd: PathBuf,
}

impl Ctx<'_> {
    fn file(&self, p: &Package, file: &str) -> String {
        shown_path(&p.dir.join(file), &self.cwd).display().to_string()
    }

    /// `file:line` of each site where `from` imports `to`.
    fn sites(&self, from: PkgId, to: PkgId) -> Vec<String> {
        let p = self.prog.package(from);
        p.imports
            .iter()
            .filter(|i| i.target == to)
            .flat_map(|i| i.sites.iter().map(|s| format!("{}:{}", self.file(p, p.site_file(s)), s.line)))
            .collect()
    }
}

fn test_findings(ctx: &Ctx, patterns: &[String]) -> Vec<TestFinding> {
    let prog = ctx.prog;
    let g = &ctx.ig.graph;
    let is_test = |id: PkgId| patterns.iter().any(|pat| matches_pattern(pat, &prog.package(id).path));
    // Entry points: test packages some non-test package imports.
    let mut entries: Vec<PkgId> = (0..prog.packages.len() as PkgId)
        .filter(|&id| is_test(id))
        .filter(|&id| {
            prog.packages
                .iter()
                .enumerate()
                .any(|(i, p)| !is_test(i as PkgId) && p.imports.iter().any(|m| m.target == id))
        })
        .collect();
    entries.sort_by(|&a, &b| prog.package(a).path.cmp(&prog.package(b).path));
    let mut out = Vec::new();
    for t in entries {
        let chains: Vec<(PkgId, Vec<PkgId>)> =
            prog.roots.iter().filter_map(|&r| shortest_chain(g, r, t).map(|c| (r, c))).collect();
        let binaries = chains.iter().map(|(r, _)| prog.package(*r).path.clone()).collect();
        let Some((_, chain)) = chains.iter().min_by_key(|(_, c)| c.len()) else { continue };
        let why = chain
            .iter()
            .enumerate()
            .map(|(i, &v)| Hop {
                package: prog.package(v).path.clone(),
                at: (i > 0).then(|| ctx.sites(chain[i - 1], v).into_iter().next().unwrap_or_default()),
            })
            .collect();
        // The user's edges: direct importers of t, then the chain's own edges
        // (not a root's import of its own module's packages), nearest t first.
        let mut edges: Vec<(PkgId, PkgId)> = Vec::new();
        for (i, p) in prog.packages.iter().enumerate() {
            if user_owned(prog, p) && p.imports.iter().any(|m| m.target == t) {
                edges.push((i as PkgId, t));
            }
        }
        for w in chain.windows(2).rev() {
            let (a, b) = (w[0], w[1]);
            let structural = prog.roots.contains(&a) && user_owned(prog, prog.package(b));
            if user_owned(prog, prog.package(a)) && !structural && !edges.contains(&(a, b)) {
                edges.push((a, b));
            }
        }
        let anat = anatomies_of(prog, &edges);
        let imports = edges.iter().zip(anat).map(|(&(a, b), an)| edge_finding(ctx, a, b, b == t, an)).collect();
        out.push(TestFinding { package: prog.package(t).path.clone(), binaries, why, imports });
    }
    out
}

fn edge_finding(ctx: &Ctx, a: PkgId, b: PkgId, direct: bool, an: Option<Anatomy>) -> EdgeFinding {
    let pa = ctx.prog.package(a);
    let uses = an.as_ref().map(|an| {
        an.idents
            .iter()
            .map(|i| Use {
                name: format!("{}.{}", an.package_name, i.name),
                kind: i.kind.as_str(),
                at: i.sites.iter().map(|s| format!("{}:{}", ctx.file(pa, &s.file), s.line)).collect(),
            })
            .collect()
    });
    let recipe = an.as_ref().map(Anatomy::recipe);
    EdgeFinding {
        importer: pa.path.clone(),
        imported: ctx.prog.package(b).path.clone(),
        at: ctx.sites(a, b),
        direct,
        uses,
        recipe_text: recipe.as_ref().map(Recipe::text),
        recipe,
    }
}

fn eager_findings(ctx: &Ctx, own: bool, init_bytes: Option<&BTreeMap<String, u64>>) -> Result<EagerSection> {
    let prog = ctx.prog;
    let ids: Vec<PkgId> = (0..prog.packages.len() as PkgId)
        .filter(|&id| {
            let p = prog.package(id);
            !p.standard && (!own || user_owned(prog, p))
        })
        .collect();
    let files: Vec<Vec<String>> =
        ids.iter().map(|&id| prog.package(id).source_files().map(str::to_string).collect()).collect();
    let list: Vec<(&Path, &[String])> =
        ids.iter().zip(&files).map(|(&id, f)| (prog.package(id).dir.as_path(), f.as_slice())).collect();
    let mut packages = Vec::new();
    for (&id, res) in ids.iter().zip(heft_syntax::eager_inits_of_packages(&list)) {
        let p = prog.package(id);
        let mut inits = match res {
            Ok(i) => i,
            Err(e) => {
                eprintln!("heft: warning: {e}");
                continue;
            }
        };
        if inits.is_empty() {
            continue;
        }
        for i in &mut inits {
            i.pos.file = ctx.file(p, &i.pos.file);
        }
        let init_bytes = init_bytes.map(|m| m.get(&p.path).copied().unwrap_or(0));
        packages.push(EagerPackage { package: p.path.clone(), init_bytes, initializers: inits });
    }
    packages.sort_by(|a, b| {
        (b.init_bytes, b.initializers.len()).cmp(&(a.init_bytes, a.initializers.len())).then(a.package.cmp(&b.package))
    });
    Ok(EagerSection {
        ranked_by: if init_bytes.is_some() { "measured-init-bytes" } else { "initializers" },
        large_literal_elements: heft_syntax::LARGE_LITERAL_ELEMENTS,
        packages,
    })
}

fn constant_findings(ctx: &Ctx, min_packages: u32) -> Vec<ConstantImport> {
    let prog = ctx.prog;
    let g = &ctx.ig.graph;
    let cuts = Cuts::new(g, &prog.roots);
    let mut candidates: Vec<u32> = (0..g.edge_count() as u32)
        .filter(|&e| {
            cuts.edge_removal_count(e) >= min_packages.max(1) && cuttable(prog, &ctx.ig, &prog.roots, e, false)
        })
        .collect();
    candidates.sort_by_key(|&e| (std::cmp::Reverse(cuts.edge_removal_count(e)), e));
    let edges: Vec<(PkgId, PkgId)> = candidates.iter().map(|&e| g.edge(e)).collect();
    let mut out = Vec::new();
    for ((&e, &(a, b)), an) in candidates.iter().zip(&edges).zip(anatomies_of(prog, &edges)) {
        let Some(an) = an else { continue };
        let recipe = an.recipe();
        let Recipe::ConstantsOnly { names } = &recipe else { continue };
        out.push(ConstantImport {
            importer: prog.package(a).path.clone(),
            imported: prog.package(b).path.clone(),
            at: ctx.sites(a, b),
            constants: names.clone(),
            packages_removed: cuts.edge_removal_count(e),
            removed: cuts.edge_removal(e).iter().map(|&id| prog.package(id).path.clone()).collect(),
            recipe_text: recipe.text(),
        });
    }
    out
}

pub fn run(args: &FindingsArgs) -> Result<ExitCode> {
    let prog = args.load.load_binaries(&args.roots)?;
    let had_errors = report_package_errors(&prog, args.load.keep_going);
    if had_errors && !args.load.keep_going {
        return Ok(ExitCode::from(1));
    }
    let saved = heft_measure::read_saved(&args.measurements)?;
    let init_bytes =
        (!saved.binaries.is_empty()).then(|| heft_measure::weights(&saved, heft_measure::WeightKind::InitBytes));
    let findings = collect(&prog, &args.test_packages, args.own, args.min_packages, init_bytes.as_ref())?;
    let mut out = BufWriter::new(io::stdout().lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &findings)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &findings, args.min_packages)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub fn write_text(out: &mut impl Write, f: &Findings, min_packages: u32) -> io::Result<()> {
    writeln!(out, "# Test-only code in the binaries ({})", f.test_packages.len())?;
    if f.test_packages.is_empty() {
        writeln!(out, "none")?;
    }
    for t in &f.test_packages {
        writeln!(out, "{}  (linked by {})", t.package, t.binaries.join(", "))?;
        writeln!(out, "  why:")?;
        for h in &t.why {
            match &h.at {
                None => writeln!(out, "    {}", h.package)?,
                Some(at) => writeln!(out, "      -> {}  ({at})", h.package)?,
            }
        }
        writeln!(out, "  your imports that bring it in:")?;
        for e in &t.imports {
            writeln!(out, "    {}  {} -> {}", e.at.join(", "), e.importer, e.imported)?;
            if let Some(uses) = &e.uses {
                let u: Vec<String> = uses.iter().map(|u| format!("{} ({})", u.name, u.kind)).collect();
                writeln!(out, "      uses: {}", if u.is_empty() { "nothing".to_string() } else { u.join(", ") })?;
            }
            if let Some(r) = &e.recipe_text {
                writeln!(out, "      recipe: {r}")?;
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
        for i in &p.initializers {
            let what = match (i.kind, &i.callee, i.elements) {
                (heft_syntax::EagerKind::InitFunc, _, _) => "func init()".to_string(),
                (_, Some(c), _) => format!("var {} = {c}(...)", i.names.join(", ")),
                (_, None, Some(n)) => format!("var {} = {n}-element literal", i.names.join(", ")),
                _ => format!("var {}", i.names.join(", ")),
            };
            writeln!(out, "  {}:{}  {what}", i.pos.file, i.pos.line)?;
            writeln!(out, "      recipe: {}", i.recipe)?;
        }
    }
    writeln!(out)?;
    writeln!(out, "# Constant-only imports that drag >= {min_packages} packages ({})", f.constant_imports.len())?;
    if f.constant_imports.is_empty() {
        writeln!(out, "none")?;
    }
    for c in &f.constant_imports {
        writeln!(out, "{}  {} -> {}", c.at.join(", "), c.importer, c.imported)?;
        let removed: BTreeSet<&str> = c.removed.iter().map(String::as_str).collect();
        writeln!(
            out,
            "  the cut removes {} package(s): {}",
            c.packages_removed,
            removed.into_iter().collect::<Vec<_>>().join(", ")
        )?;
        writeln!(out, "  recipe: {}", c.recipe_text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use heft_syntax::matches_pattern;

    #[test]
    fn patterns_match_the_path_and_what_is_under_it() {
        assert!(matches_pattern("testing/...", "testing"));
        assert!(matches_pattern("testing/...", "testing/fstest"));
        assert!(!matches_pattern("testing/...", "testingx"));
        assert!(matches_pattern("net/http/httptest", "net/http/httptest"));
        assert!(!matches_pattern("net/http/httptest", "net/http/httptest/x"));
        assert!(matches_pattern("github.com/stretchr/testify/...", "github.com/stretchr/testify/require"));
    }
}
