//! Renderings of saved values, whole (insta snapshots): what the commands
//! print for inputs that cannot be reproduced exactly (a measurement's
//! clock and heap vary between runs).

use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn render(f: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).expect("rendering to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn measurement_text() {
    let m = heft_measure::read_saved(&[fixture("agent.measure.json")]).expect("a saved measurement");
    insta::assert_snapshot!(render(|out| heft_report::text::measurement(out, &m.binaries, 5)));
    insta::assert_snapshot!("measurement_text_all", render(|out| heft_report::text::measurement(out, &m.binaries, 0)));
}

#[test]
fn measurement_json_reads_back_the_same() {
    let m = heft_measure::read_saved(&[fixture("agent.measure.json")]).expect("a saved measurement");
    let json = render(|out| heft_report::json::measurement(out, &m));
    let again: heft_measure::Measurement = serde_json::from_str(&json).expect("heft measure --json reads back");
    assert_eq!(render(|out| heft_report::json::measurement(out, &again)), json);
}

#[test]
fn bytes_are_shown_in_decimal_units() {
    let cases = [(0, "0 B"), (999, "999 B"), (1_000, "1.0 kB"), (487_296, "487.3 kB"), (4_194_448, "4.2 MB")];
    for (n, shown) in cases {
        assert_eq!(heft_report::human_bytes(n), shown);
    }
    assert_eq!(heft_report::signed_bytes(-1_500), "-1.5 kB");
    assert!(heft_report::signed_bytes(i64::MIN).starts_with("-9223372036"));
}

fn gc_report(name: &str) -> heft_measure::gc::GcReport {
    let text = std::fs::read_to_string(fixture(name)).expect("a saved heft gc --json");
    serde_json::from_str(&text).expect("heft gc --json reads back")
}

#[test]
fn gc_run() {
    let r = gc_report("gcprog.gc.json");
    insta::assert_snapshot!("gc_run_text", render(|out| heft_report::text::gc(out, &r)));
    insta::assert_snapshot!("gc_run_markdown", render(|out| heft_report::markdown::gc(out, &r)));
    insta::assert_snapshot!("gc_run_json", render(|out| heft_report::json::gc(out, &r)));
}

#[test]
fn gc_run_that_ended_badly() {
    let mut r = gc_report("gcprog.gc.json");
    let run = &mut r.runs[0];
    run.ended = heft_measure::gc::Ended::TimedOut;
    run.forced_gcs = 2;
    run.unread_gc_lines = 1;
    run.peak_rss_bytes = None;
    r.advice = heft_measure::gc::advice(&r.runs);
    insta::assert_snapshot!("gc_run_timed_out_text", render(|out| heft_report::text::gc(out, &r)));
}

#[test]
fn gc_sweep() {
    let r = gc_report("gcprog.sweep.json");
    insta::assert_snapshot!("gc_sweep_text", render(|out| heft_report::text::gc(out, &r)));
    insta::assert_snapshot!("gc_sweep_markdown", render(|out| heft_report::markdown::gc(out, &r)));
    insta::assert_snapshot!("gc_sweep_json", render(|out| heft_report::json::gc(out, &r)));
    let again: heft_measure::gc::GcReport =
        serde_json::from_str(&render(|out| heft_report::json::gc(out, &r))).expect("reads back");
    assert_eq!(again, r);
}

/// A heap report's cuts: a plan of five imports shows three and counts the
/// rest, naming the command that lists them; a plan that would take most of
/// the user's packages says so instead of listing cuts.
#[test]
fn heap_cuts_are_bounded_and_structure_is_named() {
    use heft_analyze::Hop;
    use heft_analyze::heap::{Cut, CutImport, HeapReport, Owner, PackageHeap, Space};

    let root = "example.com/app/cmd/app";
    let package = |path: &str, bytes: u64, cut: Cut| PackageHeap {
        package: path.to_string(),
        owner: Owner::Dependency,
        bytes,
        objects: 10,
        chain: vec![Hop { package: root.to_string(), at: None }, Hop { package: path.to_string(), at: None }],
        cut: Some(cut),
    };
    let imports = |n: usize| {
        (0..n)
            .map(|i| CutImport { from: format!("example.com/app/p{i}"), to: "example.com/lib".to_string(), at: None })
            .collect()
    };
    let report = HeapReport {
        space: Space::Inuse,
        binary: "app".to_string(),
        sampling_period: 1,
        root: Some(root.to_string()),
        total_bytes: 3000,
        total_objects: 20,
        by_allocator: vec![
            package(
                "example.com/lib",
                2000,
                Cut { imports: imports(5), removes: 7, structural_own_packages_removed: None, own_packages: 0 },
            ),
            package(
                "example.com/metrics",
                1000,
                Cut { imports: imports(2), removes: 40, structural_own_packages_removed: Some(30), own_packages: 50 },
            ),
        ],
        by_user_package: Vec::new(),
        constructors: Vec::new(),
    };
    let shown = heft_report::Shown::from("/nowhere");
    insta::assert_snapshot!(render(|out| heft_report::text::heap(out, &report, 10, &shown)));
}
