//! Every JSON document heft prints (schemas: docs/json.md). Object
//! documents carry `"version": VERSION`; a location is always
//! `{"package", "file", "line", "col"}` with the file relative to its
//! module's root ([`Location`]).

use std::io::{self, Write};

use heft_analyze::cuts::{CutRow, ModuleCutRow, PackageCutRow};
use heft_analyze::evict::{Eviction, Freed};
use heft_analyze::findings::Findings;
use heft_analyze::recipe::Recipe;
use heft_analyze::report::{BinarySummary, Measured, Report};
use heft_analyze::size::Diff;
use heft_analyze::{ImportGraph, Location, ModuleGraph, Weight};
use heft_load::{Package, PkgId, Program, Replacement};
use heft_syntax::{Anatomy, Counts, ImportForm};
use serde::Serialize;

/// The version of heft's object documents (cuts, evict, explain, findings,
/// the report); it changes when a field changes meaning or goes away.
pub const VERSION: u32 = 2;

fn write(out: &mut impl Write, doc: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc)?;
    writeln!(out)
}

fn sites(prog: &Program, id: PkgId, sites: &[heft_load::Site]) -> Vec<Location> {
    sites.iter().map(|s| Location::of_site(prog, id, s)).collect()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PackageJson<'a> {
    path: &'a str,
    dir: String,
    name: &'a str,
    module: Option<ModuleJson<'a>>,
    standard: bool,
    go_files: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    cgo_files: &'a [String],
    source_bytes: u64,
    imports: Vec<ImportJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<String>,
}

#[derive(Serialize)]
struct ModuleJson<'a> {
    path: &'a str,
    version: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    main: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    replace: Option<ReplaceJson<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ReplaceJson<'a> {
    Module { path: &'a str, version: &'a str },
    Dir { dir: String },
}

#[derive(Serialize)]
struct ImportJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    implicit: bool,
    sites: Vec<Location>,
}

fn package_json<'a>(prog: &'a Program, id: PkgId) -> PackageJson<'a> {
    let p: &Package = prog.package(id);
    let module = p.module.map(|m| {
        let m = &prog.modules.list[m as usize];
        ModuleJson {
            path: &m.path,
            version: m.version.as_deref(),
            main: m.main,
            replace: m.replace.as_ref().map(|r| match r {
                Replacement::Module { path, version } => ReplaceJson::Module { path, version },
                Replacement::Dir(d) => ReplaceJson::Dir { dir: d.display().to_string() },
            }),
        }
    });
    let imports = p
        .imports
        .iter()
        .map(|i| ImportJson { path: &i.path, implicit: i.implicit, sites: sites(prog, id, &i.sites) })
        .collect();
    PackageJson {
        path: &p.path,
        dir: p.dir.display().to_string(),
        name: &p.name,
        module,
        standard: p.standard,
        go_files: &p.go_files,
        cgo_files: &p.cgo_files,
        source_bytes: p.source_bytes,
        imports,
        errors: p.errors.iter().map(ToString::to_string).collect(),
    }
}

/// `heft deps --json`: an array of packages in `order`, shaped like `go
/// list -json`'s.
pub fn packages(out: &mut impl Write, prog: &Program, order: &[PkgId]) -> io::Result<()> {
    let list: Vec<PackageJson> = order.iter().map(|&id| package_json(prog, id)).collect();
    write(out, &list)
}

#[derive(Serialize)]
struct EdgeJson<'a> {
    importer: &'a str,
    imported: &'a str,
    sites: Vec<Location>,
}

fn edge_json<'a>(prog: &'a Program, ig: &ImportGraph, edge: u32) -> EdgeJson<'a> {
    let (from, imp) = ig.import(prog, edge);
    EdgeJson { importer: &from.path, imported: &imp.path, sites: sites(prog, ig.graph.edge(edge).0, &imp.sites) }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RemovesJson {
    packages: u64,
    source_bytes: u64,
    /// The ranking weight's total, when it is a measured one.
    #[serde(skip_serializing_if = "Option::is_none")]
    weight: Option<u64>,
    /// Removed packages that weigh nothing by the ranking weight.
    #[serde(skip_serializing_if = "Option::is_none")]
    zero_weight_packages: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CutJson<'a> {
    #[serde(flatten)]
    edge: EdgeJson<'a>,
    dependency: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    effort: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipe: Option<Recipe>,
    removes: RemovesJson,
    removed: Vec<&'a str>,
    alternatives: Vec<EdgeJson<'a>>,
    /// Present when the cut is the program's own structure (ranked last).
    #[serde(skip_serializing_if = "Option::is_none")]
    structure: Option<StructureJson>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct StructureJson {
    own_source_removed: u64,
    own_source_kept: u64,
    own_source_linked: u64,
}

fn cut_json<'a>(prog: &'a Program, ig: &ImportGraph, r: &CutRow) -> CutJson<'a> {
    CutJson {
        edge: edge_json(prog, ig, r.edge),
        dependency: r.in_dependency,
        effort: r.anatomy.as_ref().map(|a| a.counts.identifiers).or(r.uses.map(|n| n as usize)),
        recipe: r.recipe.clone(),
        removes: RemovesJson {
            packages: r.packages,
            source_bytes: r.source,
            weight: Some(r.weight),
            zero_weight_packages: Some(r.weightless),
        },
        removed: r.removed.iter().map(|&id| prog.package(id).path.as_str()).collect(),
        alternatives: r.alternatives.iter().map(|&e| edge_json(prog, ig, e)).collect(),
        structure: r.structure.map(|s| StructureJson {
            own_source_removed: s.own_removed,
            own_source_kept: s.own_kept,
            own_source_linked: s.own_linked,
        }),
    }
}

#[derive(Serialize)]
struct CutsJson<'a> {
    version: u32,
    roots: Vec<&'a str>,
    by: Weight,
    cuts: Vec<CutJson<'a>>,
}

/// `heft cuts --json`.
pub fn cuts(out: &mut impl Write, prog: &Program, ig: &ImportGraph, by: Weight, rows: &[CutRow]) -> io::Result<()> {
    let doc = CutsJson {
        version: VERSION,
        roots: prog.roots.iter().map(|&r| prog.package(r).path.as_str()).collect(),
        by,
        cuts: rows.iter().map(|r| cut_json(prog, ig, r)).collect(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct PackageCutJson<'a> {
    package: &'a str,
    removes: RemovesJson,
    removed: Vec<&'a str>,
}

/// `heft cuts --packages --json`.
pub fn package_cuts(out: &mut impl Write, prog: &Program, rows: &[PackageCutRow]) -> io::Result<()> {
    let doc: Vec<PackageCutJson> = rows
        .iter()
        .map(|r| PackageCutJson {
            package: &prog.package(r.package).path,
            removes: RemovesJson {
                packages: r.packages,
                source_bytes: r.source,
                weight: Some(r.weight),
                zero_weight_packages: None,
            },
            removed: r.removed.iter().map(|&id| prog.package(id).path.as_str()).collect(),
        })
        .collect();
    write(out, &doc)
}

#[derive(Serialize)]
struct ModuleCutJson<'a> {
    importer: &'a str,
    imported: &'a str,
    imports: Vec<EdgeJson<'a>>,
    removes: ModuleRemovesJson,
    removed: Vec<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModuleRemovesJson {
    modules: u64,
    packages: u64,
    source_bytes: u64,
}

/// `heft cuts --modules --json`.
pub fn module_cuts(
    out: &mut impl Write,
    prog: &Program,
    ig: &ImportGraph,
    mg: &ModuleGraph,
    rows: &[ModuleCutRow],
) -> io::Result<()> {
    let doc: Vec<ModuleCutJson> = rows
        .iter()
        .map(|r| {
            let (a, b) = mg.graph.edge(r.edge);
            ModuleCutJson {
                importer: &mg.names[a as usize],
                imported: &mg.names[b as usize],
                imports: mg.imports[r.edge as usize].iter().map(|&e| edge_json(prog, ig, e)).collect(),
                removes: ModuleRemovesJson {
                    modules: r.removed.len() as u64,
                    packages: r.packages,
                    source_bytes: r.source,
                },
                removed: r.removed.iter().map(|&m| mg.names[m as usize].as_str()).collect(),
            }
        })
        .collect();
    write(out, &doc)
}

#[derive(Serialize)]
struct EvictJson<'a> {
    version: u32,
    target: &'a str,
    targets: Vec<&'a str>,
    #[serde(flatten)]
    plan: EvictPlanJson<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    other: Option<EvictPlanJson<'a>>,
}

#[derive(Serialize)]
struct EvictPlanJson<'a> {
    /// `effort` (the least rework) or `fewest` (the fewest imports).
    by: &'static str,
    cuts: Vec<EdgeJson<'a>>,
    /// With `by: effort`, the identifiers each cut's importer uses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uses: Vec<u64>,
    removes: &'a Freed,
    removed: Vec<&'a str>,
}

fn plan_json<'a>(prog: &'a Program, ig: &ImportGraph, ev: &Eviction, freed: &'a Freed) -> EvictPlanJson<'a> {
    EvictPlanJson {
        by: if ev.effort.is_empty() { "fewest" } else { "effort" },
        cuts: ev.plan.edges.iter().map(|&e| edge_json(prog, ig, e)).collect(),
        uses: ev.effort.clone(),
        removes: freed,
        removed: ev.removed.iter().map(|&id| prog.package(id).path.as_str()).collect(),
    }
}

/// `heft evict --json`: the plan, and the other kind of plan when it differs.
pub fn eviction<'a>(
    out: &mut impl Write,
    prog: &'a Program,
    ig: &ImportGraph,
    target: &'a str,
    targets: &[PkgId],
    chosen: (&Eviction, &'a Freed),
    other: Option<(&Eviction, &'a Freed)>,
) -> io::Result<()> {
    let doc = EvictJson {
        version: VERSION,
        target,
        targets: targets.iter().map(|&id| prog.package(id).path.as_str()).collect(),
        plan: plan_json(prog, ig, chosen.0, chosen.1),
        other: other.map(|(ev, freed)| plan_json(prog, ig, ev, freed)),
    };
    write(out, &doc)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExplainJson<'a> {
    version: u32,
    importer: &'a str,
    imported: &'a str,
    import_sites: Vec<Location>,
    package_name: &'a str,
    forms: &'a [ImportForm],
    idents: Vec<IdentJson<'a>>,
    counts: &'a Counts,
    recipe: Recipe,
    recipe_text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct IdentJson<'a> {
    name: &'a str,
    kind: &'a str,
    errors_target: bool,
    sites: Vec<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decl: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decl_lines: Option<u32>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    test_helper: bool,
}

/// `heft explain --json`: the anatomy of the edge `a` → `b`.
pub fn explain(
    out: &mut impl Write,
    prog: &Program,
    a: PkgId,
    b: PkgId,
    anatomy: &Anatomy,
    recipe: &Recipe,
) -> io::Result<()> {
    let (pa, pb) = (prog.package(a), prog.package(b));
    let at = |id: PkgId, pos: &heft_syntax::Pos| Location::new(prog, id, &pos.file, pos.line, pos.col);
    let doc = ExplainJson {
        version: VERSION,
        importer: &pa.path,
        imported: &pb.path,
        import_sites: pa.imports.iter().filter(|i| i.target == b).flat_map(|i| sites(prog, a, &i.sites)).collect(),
        package_name: &anatomy.package_name,
        forms: &anatomy.forms,
        idents: anatomy
            .idents
            .iter()
            .map(|i| IdentJson {
                name: &i.name,
                kind: i.kind.as_str(),
                errors_target: i.errors_target,
                sites: i.sites.iter().map(|s| at(a, s)).collect(),
                decl: i.decl.as_ref().map(|d| at(b, d)),
                decl_lines: i.decl_lines,
                test_helper: i.test_helper,
            })
            .collect(),
        counts: &anatomy.counts,
        recipe_text: recipe.text(),
        recipe: recipe.clone(),
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct FindingsJson<'a> {
    version: u32,
    #[serde(flatten)]
    findings: &'a Findings,
}

/// `heft findings --json`.
pub fn findings(out: &mut impl Write, f: &Findings) -> io::Result<()> {
    write(out, &FindingsJson { version: VERSION, findings: f })
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BinaryJson<'a> {
    root: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    library: bool,
    packages: u64,
    source_bytes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclusive_packages: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    measured: Option<Measured>,
    cuts: Vec<CutJson<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ModulePlanJson<'a> {
    path: &'a str,
    version: &'a str,
    packages: u64,
    source_bytes: u64,
    plan: Option<PlanJson<'a>>,
    /// The plan cuts the program's own structure: own packages it removes.
    #[serde(skip_serializing_if = "Option::is_none")]
    structural_own_packages_removed: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanJson<'a> {
    cuts: Vec<EdgeJson<'a>>,
    removes_packages: u64,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    version: u32,
    binaries: Vec<BinaryJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    all: Option<BinaryJson<'a>>,
    modules: Vec<ModulePlanJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    findings: Option<&'a Findings>,
}

/// The report, `heft --json`.
pub fn report(out: &mut impl Write, prog: &Program, ig: &ImportGraph, r: &Report) -> io::Result<()> {
    let binary = |b: &'_ BinarySummary, root: &'static str| BinaryJson {
        root,
        library: b.library,
        packages: b.packages,
        source_bytes: b.source,
        exclusive_packages: b.exclusive,
        measured: b.measured,
        cuts: b.cuts.iter().map(|c| cut_json(prog, ig, c)).collect(),
    };
    let doc = ReportJson {
        version: VERSION,
        binaries: r.binaries.iter().map(|b| BinaryJson { root: &b.name, ..binary(b, "") }).collect(),
        all: r.all.as_ref().map(|b| binary(b, "all")),
        modules: r
            .modules
            .iter()
            .map(|m| ModulePlanJson {
                path: &m.path,
                version: &m.version,
                packages: m.packages,
                source_bytes: m.source,
                plan: m.plan.as_ref().map(|(edges, removed)| PlanJson {
                    cuts: edges.iter().map(|&e| edge_json(prog, ig, e)).collect(),
                    removes_packages: *removed,
                }),
                structural_own_packages_removed: m.structural.map(|(own, _)| own),
            })
            .collect(),
        findings: r.findings.as_ref(),
    };
    write(out, &doc)
}

/// `heft size --json` of one binary: the report itself (readable back as a
/// saved report).
pub fn size(out: &mut impl Write, r: &heft_gobin::SizeReport) -> io::Result<()> {
    write(out, r)
}

/// `heft size --json OLD NEW`.
pub fn size_diff(out: &mut impl Write, d: &Diff) -> io::Result<()> {
    write(out, d)
}

/// `heft measure --json` (versioned by its own `heftMeasure` field, read
/// back by `--measurements`).
pub fn measurement(out: &mut impl Write, m: &heft_measure::Measurement) -> io::Result<()> {
    write(out, m)
}

#[derive(Serialize)]
struct CheckJson<'a> {
    version: u32,
    binaries: &'a [String],
    failures: usize,
    diagnostics: &'a [heft_analyze::Diagnostic],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    warnings: &'a [String],
}

/// `heft check --format json`.
pub fn check(out: &mut impl Write, r: &heft_analyze::check::CheckReport) -> io::Result<()> {
    let doc = CheckJson {
        version: VERSION,
        binaries: &r.binaries,
        failures: r.failures(),
        diagnostics: &r.diagnostics,
        warnings: &r.warnings,
    };
    write(out, &doc)
}

#[derive(Serialize)]
struct DiffJson<'a> {
    version: u32,
    base: &'a str,
    head: &'a str,
    #[serde(flatten)]
    diff: &'a heft_analyze::diff::ProgramDiff,
}

/// `heft diff --json`.
pub fn diff(out: &mut impl Write, d: &heft_analyze::diff::ProgramDiff, base: &str, head: &str) -> io::Result<()> {
    write(out, &DiffJson { version: VERSION, base, head, diff: d })
}

#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    version: u32,
    #[serde(flatten)]
    doc: &'a T,
}

/// `heft heap --json PROFILE`: every package and constructor.
pub fn heap(out: &mut impl Write, r: &heft_analyze::heap::HeapReport) -> io::Result<()> {
    write(out, &Versioned { version: VERSION, doc: r })
}

/// `heft heap --json OLD NEW`.
pub fn heap_diff(out: &mut impl Write, d: &heft_analyze::heap::HeapDiff) -> io::Result<()> {
    write(out, &Versioned { version: VERSION, doc: d })
}

/// `heft gc --json`: the runs, the sweep's verdict and the advice.
pub fn gc(out: &mut impl Write, r: &heft_measure::gc::GcReport) -> io::Result<()> {
    write(out, &Versioned { version: VERSION, doc: r })
}
