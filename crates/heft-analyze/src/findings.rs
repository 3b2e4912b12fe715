//! Findings: what the binaries carry that they should not — test-only code
//! linked into production, eager initialization, and imports used for
//! constants only that drag whole subtrees in — each a [`Diagnostic`].

use std::collections::BTreeMap;

use heft_graph::cuts::Cuts;
use heft_graph::why::shortest_chain;
use heft_load::{PkgId, Program};
use heft_measure::{Measurement, WeightKind};
use heft_syntax::{Anatomy, EagerInit, EagerKind};
use serde::Serialize;

use crate::cuts::{anatomies_of, or_warn, qualified_uses};
use crate::diagnostic::{Code, Diagnostic, Hop, Location, Related, Severity, import_sites};
use crate::graph::{ImportGraph, cuttable, user_owned};
use crate::recipe::{Recipe, TEST_PACKAGES, eager_recipe, matches_pattern, recipe_for};

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct FindingsOptions {
    /// Test packages beyond [`TEST_PACKAGES`] (import paths or `prefix/...`).
    pub extra_test_packages: Vec<String>,
    /// Eager initialization in dependencies too (else the user's own
    /// modules only, with a count of the rest).
    pub include_deps: bool,
    /// Eager initialization in generated files too.
    pub include_generated: bool,
    /// Constant-only imports whose cut frees at least this many packages.
    pub min_packages: u32,
}

/// Every finding of a program, by kind.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Findings {
    /// Test-only packages linked into the binaries.
    pub test_code: Vec<Diagnostic>,
    /// Eager initializers, per package.
    pub eager_init: EagerSection,
    /// Constant-only imports that drag at least `min_packages` packages.
    pub constant_imports: Vec<Diagnostic>,
    /// The threshold of `constant_imports`.
    pub min_packages: u32,
    /// Files that could not be read.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

impl Findings {
    /// Every diagnostic, in the order of the sections.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.test_code
            .iter()
            .chain(self.eager_init.packages.iter().flat_map(|p| &p.initializers))
            .chain(&self.constant_imports)
    }
}

/// The eager initializers, heaviest package first.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EagerSection {
    /// `measured` (init heap and bytes from `heft measure`) or `estimate`
    /// (a static estimate: literal sizes, compiled regexps and templates).
    pub ranked_by: &'static str,
    /// The element count from which a composite literal counts as large.
    pub large_literal_elements: usize,
    /// The packages with eager initializers worth reading.
    pub packages: Vec<EagerPackage>,
    /// What was left out, and why.
    pub left_out: LeftOut,
}

/// Eager initializers not listed.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeftOut {
    /// In generated files (listed with `include_generated`).
    pub generated: usize,
    /// Map literals in unexported variables nothing references: since Go
    /// 1.21 the linker drops them, so they cost nothing.
    pub unreferenced_maps: usize,
    /// Dependency packages not looked at (with `include_deps` they are).
    pub dependency_packages: usize,
    /// In packages whose init allocates nothing and retains nothing, by the
    /// measurements.
    pub measured_free: usize,
}

/// One package's eager initializers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EagerPackage {
    /// The package's import path.
    pub package: String,
    /// Bytes its init allocates, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub init_bytes: Option<u64>,
    /// Heap its init allocated and still holds at the end of init, when measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retained_bytes: Option<u64>,
    /// One diagnostic per initializer in file order, repeated shapes of one
    /// file folded into one.
    pub initializers: Vec<Diagnostic>,
    /// The ranking key without measurements.
    #[serde(skip)]
    estimate: u64,
}

/// Every finding for a loaded program; `measured` (saved `heft measure`
/// results) ranks eager initialization by what it really costs.
pub fn collect(prog: &Program, opts: &FindingsOptions, measured: Option<&Measurement>) -> Findings {
    let ig = ImportGraph::of(prog);
    let patterns: Vec<String> =
        TEST_PACKAGES.iter().map(|s| s.to_string()).chain(opts.extra_test_packages.iter().cloned()).collect();
    let mut warnings = Vec::new();
    Findings {
        test_code: test_findings(prog, &ig, &patterns, &mut warnings),
        eager_init: eager_findings(prog, opts, measured.filter(|m| !m.binaries.is_empty()), &mut warnings),
        constant_imports: constant_findings(prog, &ig, opts.min_packages, &mut warnings),
        min_packages: opts.min_packages,
        warnings,
    }
}

fn test_findings(prog: &Program, ig: &ImportGraph, patterns: &[String], warnings: &mut Vec<String>) -> Vec<Diagnostic> {
    let g = &ig.graph;
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
        let binaries: Vec<String> = chains.iter().map(|(r, _)| prog.package(*r).path.clone()).collect();
        let Some((_, chain)) = chains.iter().min_by_key(|(_, c)| c.len()) else { continue };
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
        let anatomies = or_warn(anatomies_of(prog, &edges), warnings);
        let related: Vec<Related> =
            edges.iter().zip(anatomies).flat_map(|(&(a, b), an)| edge_related(prog, a, b, an.as_ref())).collect();
        let path = &prog.package(t).path;
        out.push(Diagnostic {
            code: Code::TestCodeInBinary,
            severity: Severity::Warning,
            message: format!("{path} is test code, linked into {}", binaries.join(", ")),
            location: related.first().and_then(|r| r.location.clone()),
            binaries,
            chain: Hop::chain(prog, chain),
            recipe: related.iter().find_map(|r| r.recipe.clone()),
            related,
            removes: Vec::new(),
        });
    }
    out
}

/// The user's import A→B that lets test code in: at each of its sites,
/// with what A uses of B and the recipe at the first.
fn edge_related(prog: &Program, a: PkgId, b: PkgId, an: Option<&Anatomy>) -> Vec<Related> {
    let edge = format!("{} -> {}", prog.package(a).path, prog.package(b).path);
    let uses = an.map(|an| {
        let u: Vec<String> =
            an.idents.iter().map(|i| format!("{}.{} ({})", an.package_name, i.name, i.kind.as_str())).collect();
        format!("uses {}", if u.is_empty() { "nothing".to_string() } else { u.join(", ") })
    });
    let mut sites = import_sites(prog, a, b).into_iter();
    let first = Related {
        message: edge.clone(),
        note: uses,
        location: sites.next(),
        recipe: an.map(|an| recipe_for(an).text()),
    };
    std::iter::once(first)
        .chain(sites.map(|s| Related {
            message: format!("{edge}, also here"),
            note: None,
            location: Some(s),
            recipe: None,
        }))
        .collect()
}

fn eager_findings(
    prog: &Program,
    opts: &FindingsOptions,
    measured: Option<&Measurement>,
    warnings: &mut Vec<String>,
) -> EagerSection {
    let (init_bytes, heap) = match measured {
        Some(m) => {
            (Some(heft_measure::weights(m, WeightKind::InitBytes)), Some(heft_measure::weights(m, WeightKind::Heap)))
        }
        None => (None, None),
    };
    // Dependencies are read only when asked for: they are most of a large
    // program's code, and most of their initializers are not the user's to change.
    let (ids, deps): (Vec<PkgId>, Vec<PkgId>) = (0..prog.packages.len() as PkgId)
        .filter(|&id| !prog.package(id).standard)
        .partition(|&id| opts.include_deps || user_owned(prog, prog.package(id)));
    let mut left_out = LeftOut { dependency_packages: deps.len(), ..LeftOut::default() };
    let files: Vec<Vec<String>> =
        ids.iter().map(|&id| prog.package(id).source_files().map(str::to_string).collect()).collect();
    let list: Vec<(&std::path::Path, &[String])> =
        ids.iter().zip(&files).map(|(&id, f)| (prog.package(id).dir.as_path(), f.as_slice())).collect();
    let mut packages = Vec::new();
    for (&id, res) in ids.iter().zip(heft_syntax::eager_inits_of_packages(&list)) {
        let p = prog.package(id);
        let inits = match res {
            Ok(i) => i,
            Err(e) => {
                warnings.push(e.to_string());
                continue;
            }
        };
        let mut kept = Vec::new();
        for i in inits {
            if i.generated && !opts.include_generated {
                left_out.generated += 1;
            } else if dropped_by_the_linker(&i) {
                left_out.unreferenced_maps += 1;
            } else {
                kept.push(i);
            }
        }
        if kept.is_empty() {
            continue;
        }
        let measured_init = init_bytes.as_ref().map(|m| m.get(&p.path).copied().unwrap_or(0));
        let measured_heap = heap.as_ref().map(|m| m.get(&p.path).copied().unwrap_or(0));
        if measured_init == Some(0) && measured_heap == Some(0) {
            left_out.measured_free += 1;
            continue;
        }
        packages.push(EagerPackage {
            package: p.path.clone(),
            init_bytes: measured_init,
            retained_bytes: measured_heap,
            estimate: kept.iter().map(estimate).sum(),
            initializers: fold_repeats(prog, id, &kept),
        });
    }
    packages.sort_by(|a, b| {
        let key = |p: &EagerPackage| (p.retained_bytes, p.init_bytes, p.estimate, p.initializers.len());
        key(b).cmp(&key(a)).then(a.package.cmp(&b.package))
    });
    EagerSection {
        ranked_by: if measured.is_some() { "measured" } else { "estimate" },
        large_literal_elements: heft_syntax::LARGE_LITERAL_ELEMENTS,
        packages,
        left_out,
    }
}

/// A map literal in an unexported package-level variable that nothing
/// names: the linker leaves its initialization out (Go ≥ 1.21).
fn dropped_by_the_linker(i: &EagerInit) -> bool {
    i.kind == EagerKind::LargeLiteral
        && !i.referenced
        && i.value_type.as_deref().is_some_and(|t| t.starts_with("map["))
        && i.names.iter().all(|n| n.starts_with(|c: char| !c.is_uppercase()))
}

/// A static estimate of what an initializer allocates, to rank packages
/// without measurements: literals by their elements, and the constructors
/// known to build large structures (compiled regexps, parsed templates,
/// decoded documents) above any other call.
fn estimate(i: &EagerInit) -> u64 {
    match i.kind {
        EagerKind::LargeLiteral => 64 * i.elements.unwrap_or(0) as u64,
        EagerKind::InitFunc => 1_000 * i.calls.len().max(1) as u64,
        _ => {
            let callee = i.callee.as_deref().unwrap_or("");
            let heavy =
                [("regexp.MustCompile", 30_000), ("template.Must", 50_000), ("Unmarshal", 20_000), ("Parse", 20_000)];
            heavy.iter().find(|(name, _)| callee.contains(name)).map_or(1_000, |&(_, cost)| cost)
        }
    }
}

/// From this many initializers of one shape in one file, they are one finding.
const FOLDED: usize = 5;

/// One diagnostic per initializer, except that [`FOLDED`] or more of one
/// shape (the same callee, or large literals) in one file become one.
fn fold_repeats(prog: &Program, id: PkgId, inits: &[EagerInit]) -> Vec<Diagnostic> {
    let shape = |i: &EagerInit| (i.pos.file.clone(), i.kind, i.callee.clone());
    let mut count: BTreeMap<(String, EagerKind, Option<String>), usize> = BTreeMap::new();
    for i in inits {
        *count.entry(shape(i)).or_default() += 1;
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for i in inits {
        let n = count[&shape(i)];
        if n < FOLDED {
            out.push(eager_diagnostic(prog, id, i));
        } else if seen.insert(shape(i)) {
            let mut d = eager_diagnostic(prog, id, i);
            let what = match &i.callee {
                Some(c) => format!("{c}(...)"),
                None => "large literals".to_string(),
            };
            d.message = format!("{n} × {what} in {}", i.pos.file);
            d.recipe = Some(format!(
                "build them when first needed: one sync.OnceValue returning all {n}, or a lookup that creates each on first use"
            ));
            out.push(d);
        }
    }
    out
}

fn eager_diagnostic(prog: &Program, id: PkgId, i: &EagerInit) -> Diagnostic {
    let message = match (i.kind, &i.callee, i.elements) {
        (EagerKind::InitFunc, _, _) => "func init()".to_string(),
        (_, Some(c), _) => format!("var {} = {c}(...)", i.names.join(", ")),
        (_, None, Some(n)) => format!("var {} = {n}-element literal", i.names.join(", ")),
        _ => format!("var {}", i.names.join(", ")),
    };
    Diagnostic {
        code: Code::EagerInit,
        severity: Severity::Note,
        message,
        location: Some(Location::new(prog, id, &i.pos.file, i.pos.line, i.pos.col)),
        binaries: Vec::new(),
        chain: Vec::new(),
        recipe: Some(eager_recipe(i)),
        related: Vec::new(),
        removes: Vec::new(),
    }
}

fn constant_findings(
    prog: &Program,
    ig: &ImportGraph,
    min_packages: u32,
    warnings: &mut Vec<String>,
) -> Vec<Diagnostic> {
    let g = &ig.graph;
    let cuts = Cuts::new(g, &prog.roots);
    let mut candidates: Vec<u32> = (0..g.edge_count() as u32)
        .filter(|&e| cuts.edge_removal_count(e) >= min_packages.max(1) && cuttable(prog, ig, &prog.roots, e, false))
        .collect();
    candidates.sort_by_key(|&e| (std::cmp::Reverse(cuts.edge_removal_count(e)), e));
    // A quick test first: the names the importer writes must all be
    // declared as constants (in B's text); only those edges are read in full.
    let pairs: Vec<(PkgId, PkgId)> = candidates.iter().map(|&e| g.edge(e)).collect();
    let uses = qualified_uses(prog, &pairs, warnings);
    let candidates: Vec<u32> = candidates
        .into_iter()
        .zip(&pairs)
        .zip(uses)
        .filter(|((_, (_, b)), uses)| match uses {
            None => true,
            Some(names) if names.is_empty() => false,
            Some(names) => {
                let p = prog.package(*b);
                let files: Vec<String> = p.source_files().map(str::to_string).collect();
                heft_syntax::all_constants_in_text(&p.dir, &files, names).unwrap_or(true)
            }
        })
        .map(|((e, _), _)| e)
        .collect();
    let edges: Vec<(PkgId, PkgId)> = candidates.iter().map(|&e| g.edge(e)).collect();
    let mut out = Vec::new();
    for ((&e, &(a, b)), an) in candidates.iter().zip(&edges).zip(or_warn(anatomies_of(prog, &edges), warnings)) {
        let Some(an) = an else { continue };
        let recipe = recipe_for(&an);
        let Recipe::ConstantsOnly { names, types } = &recipe else { continue };
        let (from, to) = (&prog.package(a).path, &prog.package(b).path);
        let mut sites = import_sites(prog, a, b).into_iter();
        let mut removes: Vec<String> = cuts.edge_removal(e).iter().map(|&id| prog.package(id).path.clone()).collect();
        removes.sort();
        out.push(Diagnostic {
            code: Code::ConstantOnlyImport,
            severity: Severity::Warning,
            message: if types.is_empty() {
                format!("{from} imports {to} for constants only ({})", names.join(", "))
            } else {
                format!("{from} imports {to} for constants only ({}, of type {})", names.join(", "), types.join(", "))
            },
            location: sites.next(),
            binaries: Vec::new(),
            chain: Hop::chain(prog, &[a, b]),
            recipe: Some(recipe.text()),
            related: sites
                .map(|s| Related {
                    message: format!("{from} -> {to}, also here"),
                    note: None,
                    location: Some(s),
                    recipe: None,
                })
                .collect(),
            removes,
        });
    }
    out
}
