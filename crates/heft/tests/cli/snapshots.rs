//! Every command in every format on the bundled example, whole, as a user
//! sees it (insta snapshots in `snapshots/`; `cargo insta review` after an
//! intended change). The target is pinned (linux/amd64, cgo on) and the
//! example's directory and GOROOT are redacted, so the snapshots hold on
//! any machine with the same Go release; `heft size` reads saved reports
//! of the example's binaries (`fixtures/`), `heft measure`'s rendering is
//! snapshot-tested on a saved measurement by heft-report.

use std::path::Path;

use crate::env::{example, heft_command};

/// heft's stdout for `args` in the example; the command must succeed.
fn stdout(args: &[&str]) -> String {
    let out = heft_command()
        .args(args)
        .env("GOOS", "linux")
        .env("GOARCH", "amd64")
        .env("CGO_ENABLED", "1")
        .output()
        .expect("run heft");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "heft {args:?}: {stderr}");
    redact(&String::from_utf8(out.stdout).expect("UTF-8 output"))
}

fn redact(text: &str) -> String {
    let goroot = heft_testkit::go::run(&mut heft_testkit::go(["env", "GOROOT"]));
    let goroot = String::from_utf8_lossy(&goroot.stdout).trim().to_string();
    let example = example().canonicalize().expect("the example exists");
    text.replace(&example.display().to_string(), "[EXAMPLE]").replace(&goroot, "[GOROOT]")
}

/// The non-standard entries of `heft deps --json` (the standard library's
/// file lists change between Go releases; the oracle tests check them).
fn own_packages(json: &str) -> String {
    let list: Vec<serde_json::Value> = serde_json::from_str(json).expect("JSON");
    let own: Vec<&serde_json::Value> = list.iter().filter(|p| p["standard"] == false).collect();
    serde_json::to_string_pretty(&own).unwrap()
}

macro_rules! snapshot {
    ($name:ident, $($arg:expr),+) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(stdout(&[$($arg),+]));
        }
    };
}

snapshot!(report_text, "./cmd/...");
snapshot!(report_markdown, "--markdown", "./cmd/...");
snapshot!(report_json, "--json", "./cmd/...");
snapshot!(report_one_binary_without_findings, "--no-findings", "./cmd/agent");

snapshot!(why_text, "why", "./cmd/server", "pkg/tzdb");
snapshot!(why_all, "why", "--all", "./cmd/busybox", "pkg/tzdb");

snapshot!(cuts_text, "cuts", "./cmd/server");
snapshot!(cuts_json, "cuts", "--json", "./cmd/server");
snapshot!(cuts_cheap, "cuts", "--by", "cheap", "./cmd/busybox");
snapshot!(cuts_source_with_deps, "cuts", "--by", "source", "--include-deps", "--top", "8", "./cmd/agent");
snapshot!(cuts_modules, "cuts", "--modules", "--include-deps", "./cmd/server");
snapshot!(cuts_modules_json, "cuts", "--modules", "--json", "--include-deps", "./cmd/server");
snapshot!(cuts_packages, "cuts", "--packages", "--top", "10", "./cmd/server");
snapshot!(cuts_packages_json, "cuts", "--packages", "--json", "--top", "3", "./cmd/server");

snapshot!(evict_text, "evict", "./cmd/busybox", "example.com/busybox/pkg/db/...");
snapshot!(evict_json, "evict", "--json", "./cmd/busybox", "example.com/busybox/pkg/db/...");
snapshot!(evict_by_effort, "evict", "--effort", "./cmd/busybox", "pkg/tzdb");
snapshot!(evict_a_wrapped_driver, "evict", "./cmd/server", "pkg/sqlite");

snapshot!(explain_text, "explain", "./cmd/agent", "pkg/config", "pkg/timeutil");
snapshot!(explain_json, "explain", "--json", "./cmd/admission", "pkg/grpcerr", "pkg/db/driver");
snapshot!(explain_move_to_caller, "explain", "./cmd/...", "internal/cli", "pkg/buildinfo");
snapshot!(explain_move_to_caller_json, "explain", "--json", "./cmd/...", "internal/cli", "pkg/buildinfo");

snapshot!(findings_text, "findings", "./cmd/...");
snapshot!(findings_json, "findings", "--json", "./cmd/...");
snapshot!(findings_all, "findings", "--all", "--generated", "--min-packages", "1", "./cmd/agent");

#[test]
fn deps_text() {
    let text = stdout(&["deps", "./cmd/agent"]);
    let own: Vec<&str> = text.lines().filter(|l| l.starts_with("example.com/")).collect();
    insta::assert_snapshot!(own.join("\n"));
}

#[test]
fn deps_json() {
    insta::assert_snapshot!(own_packages(&stdout(&["deps", "--json", "./cmd/agent"])));
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/fixtures").join(name).display().to_string()
}

#[test]
fn size_text() {
    insta::assert_snapshot!(stdout(&["size", &fixture("agent.size.json")]));
}

#[test]
fn size_by_module() {
    insta::assert_snapshot!(stdout(&["size", "--by", "module", &fixture("server.size.json")]));
}

#[test]
fn size_json() {
    insta::assert_snapshot!(stdout(&["size", "--json", "--top", "5", &fixture("agent.size.json")]));
}

#[test]
fn size_diff_text() {
    insta::assert_snapshot!(stdout(&["size", &fixture("agent.size.json"), &fixture("server.size.json")]));
}

#[test]
fn size_diff_json() {
    insta::assert_snapshot!(stdout(&["size", "--json", &fixture("agent.size.json"), &fixture("server.size.json")]));
}

// A heap profile of 48 package-level zap loggers (the program of
// heap.rs), saved; without a root, so no loading.
snapshot!(heap_text, "heap", &fixture("loggers.heap.pb.gz"));
snapshot!(heap_markdown, "heap", "--markdown", "--top", "5", &fixture("loggers.heap.pb.gz"));
snapshot!(heap_alloc_text, "heap", "--alloc", "--top", "3", &fixture("loggers.heap.pb.gz"));
snapshot!(heap_diff_text, "heap", &fixture("loggers.heap.pb.gz"), &fixture("loggers-unsampled.heap.pb.gz"));
snapshot!(
    heap_diff_json,
    "heap",
    "--json",
    "--top",
    "5",
    &fixture("loggers.heap.pb.gz"),
    &fixture("loggers-unsampled.heap.pb.gz")
);
