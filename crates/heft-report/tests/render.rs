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
