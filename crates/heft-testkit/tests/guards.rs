//! The guards of the test kit refuse what they must: a program with package
//! errors is not a whole program, and the oracle's comparison of a whole
//! program counts every package error as a difference.

use heft_testkit::oracle::{Case, compare};
use heft_testkit::{Platform, assert_complete, workspace_root};

fn missing_module() -> Case {
    Case::whole(&workspace_root().join("tests/fixtures/errors"), "./missingmod", Platform::LINUX_AMD64)
}

#[test]
#[should_panic(expected = "package error(s); the test needs the whole program")]
fn a_program_with_package_errors_is_not_whole() {
    let case = missing_module();
    let prog = case.heft().expect("the load itself succeeds");
    assert_complete(&prog, &case.describe());
}

#[test]
fn a_whole_program_comparison_counts_package_errors() {
    let diffs = compare(&missing_module());
    assert!(diffs.iter().any(|d| d.starts_with("go list: ")), "{diffs:?}");
    assert!(diffs.iter().any(|d| d.contains("heft: ")), "{diffs:?}");
}

#[test]
fn the_bundled_example_is_whole() {
    let case = Case::whole(&workspace_root().join("examples/busybox"), "./...", Platform::LINUX_AMD64);
    assert_complete(&case.heft().expect("heft loads the example"), &case.describe());
    assert!(compare(&case).is_empty());
}
