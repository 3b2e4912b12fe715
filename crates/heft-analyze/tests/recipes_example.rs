//! Edge anatomy on the bundled example: each designed shape is seen for
//! what it is — kinds, counts, lines — and gets its recipe.

use heft_analyze::recipe::{Recipe, recipe_for};
use heft_load::Program;
use heft_syntax::{Anatomy, Kind};
use heft_testkit::oracle::Case;
use heft_testkit::{Platform, assert_complete, workspace_root};

const M: &str = "example.com/busybox";

fn busybox() -> Program {
    let case = Case::whole(&workspace_root().join("examples/busybox"), "./cmd/busybox", Platform::LINUX_AMD64_NOCGO);
    let prog = case.heft().expect("heft loads the example");
    assert_complete(&prog, "the bundled example");
    prog
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
