//! Findings: what the binaries carry that they should not — test-only code
//! linked into production, eager initialization, and imports used for
//! constants only that drag whole subtrees in — each a [`Diagnostic`].

use std::collections::BTreeMap;

use heft_graph::cuts::Cuts;
use heft_graph::why::shortest_chain;
use heft_load::{PkgId, Program};
use heft_syntax::{Anatomy, EagerInit, EagerKind};
use serde::Serialize;

use crate::cuts::{anatomies_of, or_warn};
use crate::diagnostic::{Code, Diagnostic, Hop, Location, Related, Severity, import_sites};
use crate::graph::{ImportGraph, cuttable, user_owned};
use crate::recipe::{Recipe, TEST_PACKAGES, eager_recipe, matches_pattern, recipe_for};

/// What to look for.
#[derive(Clone, Debug, Default)]
pub struct FindingsOptions {
    /// Test packages beyond [`TEST_PACKAGES`] (import paths or `prefix/...`).
    pub extra_test_packages: Vec<String>,
    /// Eager initialization in the user's own modules only.
    pub own: bool,
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
    /// `measured-init-bytes` or `initializers`.
    pub ranked_by: &'static str,
    /// The element count from which a composite literal counts as large.
    pub large_literal_elements: usize,
    /// The packages with eager initializers.
    pub packages: Vec<EagerPackage>,
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
    /// One diagnostic per initializer, in file order.
    pub initializers: Vec<Diagnostic>,
}

/// Every finding for a loaded program; `init_bytes` (measured, per
/// package path) ranks eager initialization.
pub fn collect(prog: &Program, opts: &FindingsOptions, init_bytes: Option<&BTreeMap<String, u64>>) -> Findings {
    let ig = ImportGraph::of(prog);
    let patterns: Vec<String> =
        TEST_PACKAGES.iter().map(|s| s.to_string()).chain(opts.extra_test_packages.iter().cloned()).collect();
    let mut warnings = Vec::new();
    Findings {
        test_code: test_findings(prog, &ig, &patterns, &mut warnings),
        eager_init: eager_findings(prog, opts.own, init_bytes, &mut warnings),
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
    own: bool,
    init_bytes: Option<&BTreeMap<String, u64>>,
    warnings: &mut Vec<String>,
) -> EagerSection {
    let ids: Vec<PkgId> = (0..prog.packages.len() as PkgId)
        .filter(|&id| {
            let p = prog.package(id);
            !p.standard && (!own || user_owned(prog, p))
        })
        .collect();
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
        if inits.is_empty() {
            continue;
        }
        packages.push(EagerPackage {
            package: p.path.clone(),
            init_bytes: init_bytes.map(|m| m.get(&p.path).copied().unwrap_or(0)),
            initializers: inits.iter().map(|i| eager_diagnostic(prog, id, i)).collect(),
        });
    }
    packages.sort_by(|a, b| {
        (b.init_bytes, b.initializers.len()).cmp(&(a.init_bytes, a.initializers.len())).then(a.package.cmp(&b.package))
    });
    EagerSection {
        ranked_by: if init_bytes.is_some() { "measured-init-bytes" } else { "initializers" },
        large_literal_elements: heft_syntax::LARGE_LITERAL_ELEMENTS,
        packages,
    }
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
    let edges: Vec<(PkgId, PkgId)> = candidates.iter().map(|&e| g.edge(e)).collect();
    let mut out = Vec::new();
    for ((&e, &(a, b)), an) in candidates.iter().zip(&edges).zip(or_warn(anatomies_of(prog, &edges), warnings)) {
        let Some(an) = an else { continue };
        let recipe = recipe_for(&an);
        let Recipe::ConstantsOnly { names } = &recipe else { continue };
        let (from, to) = (&prog.package(a).path, &prog.package(b).path);
        let mut sites = import_sites(prog, a, b).into_iter();
        let mut removes: Vec<String> = cuts.edge_removal(e).iter().map(|&id| prog.package(id).path.clone()).collect();
        removes.sort();
        out.push(Diagnostic {
            code: Code::ConstantOnlyImport,
            severity: Severity::Warning,
            message: format!("{from} imports {to} for constants only ({})", names.join(", ")),
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
