//! Edge anatomy on the bundled example: each designed shape is seen for
//! what it is — kinds, counts, lines — and gets its recipe.

use heft_analyze::ImportGraph;
use heft_analyze::cuts::removed_by;
use heft_analyze::recipe::{Recipe, recipe_for, recipe_for_cut};
use heft_load::Program;
use heft_syntax::{Anatomy, Kind};
use heft_testkit::oracle::Case;
use heft_testkit::{Platform, assert_complete, workspace_root};

const M: &str = "example.com/busybox";

fn busybox() -> Program {
    load("./cmd/busybox")
}

/// The example with `pattern`'s packages as roots.
fn load(pattern: &str) -> Program {
    let case = Case::whole(&workspace_root().join("examples/busybox"), pattern, Platform::LINUX_AMD64_NOCGO);
    let prog = case.heft().expect("heft loads the example");
    assert_complete(&prog, "the bundled example");
    prog
}

fn id(prog: &Program, path: &str) -> heft_load::PkgId {
    prog.lookup(path).unwrap_or_else(|| panic!("{path} loaded"))
}

/// The recipe for cutting `a` -> `b` in `prog`, checked against what the cut removes.
fn cut_recipe(prog: &Program, a: &str, b: &str) -> (Recipe, Vec<String>) {
    let (ia, ib) = (id(prog, a), id(prog, b));
    let removed = removed_by(prog, &ImportGraph::of(prog), ia, ib);
    let mut paths: Vec<String> = removed.iter().map(|&r| prog.package(r).path.clone()).collect();
    paths.sort();
    (recipe_for_cut(prog, ia, ib, &anatomy(prog, a, b), &removed), paths)
}

fn anatomy(prog: &Program, a: &str, b: &str) -> Anatomy {
    let pa = prog.package(prog.lookup(a).unwrap_or_else(|| panic!("{a} loaded")));
    let pb = prog.package(prog.lookup(b).unwrap_or_else(|| panic!("{b} loaded")));
    assert!(pa.imports.iter().any(|i| i.path == b), "{a} imports {b}");
    let files = |p: &heft_load::Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    heft_syntax::explain(&pa.dir, &files(pa), &pb.path, &pb.dir, &files(pb)).expect("parse")
}

/// (name, kind, [(file, line)]) of an identifier.
type Summary = (String, Kind, Vec<(String, u32)>);

fn summary(a: &Anatomy) -> Vec<Summary> {
    a.idents
        .iter()
        .map(|i| (i.name.clone(), i.kind, i.sites.iter().map(|s| (s.file.clone(), s.line)).collect()))
        .collect()
}

#[test]
fn config_uses_two_constants_of_timeutil() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/config"), &format!("{M}/pkg/timeutil"));
    assert_eq!(
        summary(&a),
        vec![
            ("DefaultTickSeconds".into(), Kind::Constant, vec![("defaults.go".into(), 17)]),
            ("MaxClockSkewSeconds".into(), Kind::Constant, vec![("defaults.go".into(), 18)]),
        ]
    );
    assert_eq!((a.counts.identifiers, a.counts.members, a.counts.uses), (2, 0, 2));
    assert_eq!(a.counts.by_kind.get(&Kind::Constant), Some(&2));
    assert_eq!(
        recipe_for(&a),
        Recipe::ConstantsOnly { names: vec!["DefaultTickSeconds".into(), "MaxClockSkewSeconds".into()], types: vec![] }
    );
}

#[test]
fn registry_uses_one_interface_of_auth() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/registry"), &format!("{M}/pkg/cloud/auth"));
    let top: Vec<_> = a.top_level().map(|i| (i.name.as_str(), i.kind, i.sites[0].line)).collect();
    assert_eq!(top, vec![("TokenSource", Kind::Interface, 20)]);
    assert_eq!(a.counts.identifiers, 1);
    // The method called through the field of that type is seen too.
    assert!(a.idents.iter().any(|i| i.name == "TokenSource.Token" && i.kind == Kind::Method), "{a:#?}");
    assert_eq!(recipe_for(&a), Recipe::InterfacesOnly { names: vec!["TokenSource".into()] });
    assert!(recipe_for(&a).text().contains("declare the interface locally"));
}

#[test]
fn grpcerr_uses_the_driver_error_as_an_errors_as_target() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/grpcerr"), &format!("{M}/pkg/db/driver"));
    let top: Vec<_> = a.top_level().collect();
    assert_eq!(top.len(), 1, "{a:#?}");
    assert_eq!((top[0].name.as_str(), top[0].kind, top[0].sites[0].line), ("Error", Kind::Struct, 17));
    assert!(top[0].errors_target);
    assert!(a.idents.iter().any(|i| i.name == "Error.Code" && i.kind == Kind::Field), "{a:#?}");
    assert_eq!(recipe_for(&a), Recipe::ErrorTarget { name: "Error".into(), members: vec!["Error.Code".into()] });
}

#[test]
fn protohelp_uses_one_small_function_of_graphql() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/protohelp"), &format!("{M}/pkg/graphql"));
    assert_eq!(summary(&a), vec![("IsName".into(), Kind::Function, vec![("graphql.go".into(), 17)])]);
    let Recipe::SmallFunction { name, lines } = recipe_for(&a) else { panic!("{:?}", recipe_for(&a)) };
    assert_eq!(name, "IsName");
    assert!(lines <= 30, "{lines}");
}

#[test]
fn server_uses_a_test_helper_and_testutil_an_unused_testing_parameter() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/internal/server"), &format!("{M}/pkg/testutil"));
    let top: Vec<_> = a.top_level().map(|i| (i.name.as_str(), i.kind, i.sites[0].line, i.test_helper)).collect();
    assert_eq!(top, vec![("Recorder", Kind::Struct, 11, false), ("NewRecorder", Kind::Function, 12, true)]);
    assert_eq!(recipe_for(&a), Recipe::TestHelpers { names: vec!["Recorder".into(), "NewRecorder".into()] });

    let t = anatomy(&prog, &format!("{M}/pkg/testutil"), "testing");
    assert_eq!(summary(&t), vec![("T".into(), Kind::Struct, vec![("metrics.go".into(), 24)])]);
    assert_eq!(recipe_for(&t), Recipe::TestHelpers { names: vec!["T".into()] });
}

#[test]
fn jobs_uses_the_store_error_as_an_errors_as_type_target() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/jobs"), &format!("{M}/internal/store"));
    // The go1.26 file (errors.AsType) is the one of this build, not its errors.As twin.
    assert!(a.importer_files.iter().any(|f| f == "conflict.go"), "{:?}", a.importer_files);
    let top: Vec<_> = a.top_level().map(|i| (i.name.as_str(), i.kind, i.sites[0].line, i.errors_target)).collect();
    assert_eq!(top, vec![("ConflictError", Kind::Struct, 19, true)]);
    let recipe = recipe_for(&a);
    assert_eq!(recipe, Recipe::ErrorTarget { name: "ConflictError".into(), members: vec![] });
    assert!(recipe.text().contains("match on a local method-set interface"), "{}", recipe.text());
}

#[test]
fn audit_uses_a_constant_of_the_store_with_its_own_type() {
    let prog = busybox();
    let a = anatomy(&prog, &format!("{M}/pkg/audit"), &format!("{M}/internal/store"));
    assert_eq!(
        summary(&a),
        vec![
            ("DataType".into(), Kind::Type, vec![("audit.go".into(), 23), ("audit.go".into(), 24)]),
            ("Integer".into(), Kind::Constant, vec![("audit.go".into(), 24)]),
        ]
    );
    let recipe = recipe_for(&a);
    assert_eq!(recipe, Recipe::ConstantsOnly { names: vec!["Integer".into()], types: vec!["DataType".into()] });
    assert!(recipe.text().contains("move the constants and their type to a leaf package"), "{}", recipe.text());
}

#[test]
fn agent_uses_a_small_function_of_render_that_reaches_markdown() {
    let prog = busybox();
    let (agent, render) = (format!("{M}/internal/agent"), format!("{M}/pkg/render"));
    let a = anatomy(&prog, &agent, &render);
    assert_eq!(summary(&a), vec![("Title".into(), Kind::Function, vec![("status.go".into(), 14)])]);
    // Alone, one small function to copy; but Title calls markdown, which
    // the cut would remove: copying it keeps markdown.
    assert_eq!(recipe_for(&a), Recipe::SmallFunction { name: "Title".into(), lines: 3 });
    let (recipe, removed) = cut_recipe(&prog, &agent, &render);
    assert_eq!(removed, [format!("{M}/pkg/render"), format!("{M}/pkg/render/markdown")]);
    assert_eq!(recipe, Recipe::PassItIn { name: "Title".into(), reaches: vec![format!("{M}/pkg/render/markdown")] });
    assert!(recipe.text().contains("pass in its result"), "{}", recipe.text());
}

#[test]
fn cli_uses_buildinfo_in_one_function_that_only_the_server_calls() {
    let (cli, buildinfo) = (format!("{M}/internal/cli"), format!("{M}/pkg/buildinfo"));
    // Every binary: agent and admission link cli but not the server, so
    // moving PrintVersion to the server frees them of buildinfo.
    let prog = load("./cmd/...");
    let (recipe, removed) = cut_recipe(&prog, &cli, &buildinfo);
    assert!(removed.contains(&buildinfo), "{removed:?}");
    assert_eq!(
        recipe,
        Recipe::MoveToCaller {
            name: "PrintVersion".into(),
            to: format!("{M}/internal/server"),
            kept_by: vec![format!("{M}/cmd/busybox"), format!("{M}/cmd/server")],
        }
    );
    assert!(
        recipe.text().contains(&format!("move PrintVersion to {M}/internal/server, its only caller")),
        "{}",
        recipe.text()
    );
    // One binary that links the server: the move would free nothing there.
    let prog = busybox();
    assert_eq!(cut_recipe(&prog, &cli, &buildinfo).0, Recipe::Rework { identifiers: 2 });
}

#[test]
fn evicting_the_driver_cuts_the_uses_of_its_wrapper() {
    let prog = load("./cmd/server");
    let ig = ImportGraph::of(&prog);
    let sqlite = format!("{M}/pkg/sqlite");
    let target = id(&prog, &sqlite);
    let edges = |plan: &heft_analyze::evict::Eviction| -> Vec<(String, String)> {
        let mut e: Vec<(String, String)> = plan
            .plan
            .edges
            .iter()
            .map(|&e| ig.graph.edge(e))
            .map(|(a, b)| (prog.package(a).path.clone(), prog.package(b).path.clone()))
            .collect();
        e.sort();
        e
    };
    let mut warnings = Vec::new();
    let plans =
        heft_analyze::evict::plans(&prog, &ig, &prog.roots, &sqlite, &[target], false, false, &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let store = format!("{M}/internal/store");
    // By default: the two packages that use the wrapper for a constant (with
    // its type) and for an error type.
    assert_eq!(
        edges(&plans.chosen),
        vec![(format!("{M}/pkg/audit"), store.clone()), (format!("{M}/pkg/jobs"), store.clone())]
    );
    assert_eq!(plans.chosen.effort, vec![2, 1]);
    let removed: Vec<&str> = plans.chosen.removed.iter().map(|&r| prog.package(r).path.as_str()).collect();
    for p in [store.as_str(), &sqlite, &format!("{sqlite}/btree"), &format!("{sqlite}/vfs")] {
        assert!(removed.contains(&p), "{p} not in {removed:?}");
    }
    // The other plan, the fewest imports: the wrapper from what it wraps.
    let other = plans.other.expect("the fewest-imports plan differs");
    assert_eq!(edges(&other), vec![(store.clone(), sqlite.clone())]);
    // The wrapper uses the driver for much: no recipe but a refactor.
    assert!(matches!(recipe_for(&anatomy(&prog, &store, &sqlite)), Recipe::Rework { identifiers: 5 }));
}
