//! Keeping the weight off, end to end: a git repository made from the
//! bundled example, a base commit with heft.toml and heft.lock, and a head
//! that adds one import dragging the time-zone table and `testing` into the
//! admission controller. `heft diff`, `heft check` (every format) and
//! `heft lock` must each name that import.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use heft_testkit::scratch;
use serde_json::Value;
use tempfile::TempDir;

use crate::env::{copy_dir, example, git, heft_command};

const M: &str = "example.com/busybox";

const RULES: &str = r#"
[[binary]]
root = "./cmd/admission"
packages = 150

[[forbid]]
packages = ["example.com/busybox/pkg/tzdb"]
reason = "the time-zone table costs 0.5 MB of heap at start-up"
use-instead = "time.LoadLocation where a zone is needed"
binaries = ["./cmd/admission"]
"#;

/// The line the head adds to internal/admission/admission.go.
const IMPORT: &str = "\t_ \"example.com/busybox/internal/server\" // serves metrics";

fn heft(dir: &Path, args: &[&str]) -> Output {
    heft_command().current_dir(dir).args(args).output().expect("run heft")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The repository: `base` (the example, heft.toml, heft.lock) and `head`
/// (the one new import), checked out at head.
struct Repo {
    _tmp: TempDir,
    dir: PathBuf,
    base: String,
    head: String,
}

fn repo() -> Repo {
    let tmp = scratch("guard");
    let dir = tmp.path().join("busybox");
    copy_dir(&example(), &dir);
    std::fs::write(dir.join("heft.toml"), RULES).unwrap();
    git(&dir, &["init", "-q", "-b", "main"]);
    let lock = heft(&dir, &["lock", "./cmd/..."]);
    assert!(lock.status.success(), "heft lock: {}", text(&lock.stderr));
    assert!(text(&lock.stderr).contains("wrote heft.lock (4 binaries"), "{}", text(&lock.stderr));
    let check = heft(&dir, &["check"]);
    assert_eq!(check.status.code(), Some(0), "the base is clean: {}{}", text(&check.stdout), text(&check.stderr));
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "base"]);
    let base = git(&dir, &["rev-parse", "HEAD"]);
    let file = dir.join("internal/admission/admission.go");
    let src = std::fs::read_to_string(&file).unwrap();
    let anchor = "\t\"example.com/busybox/pkg/schema\"\n";
    assert!(src.contains(anchor), "the example's admission imports schema");
    std::fs::write(&file, src.replace(anchor, &format!("{anchor}\n{IMPORT}\n"))).unwrap();
    git(&dir, &["commit", "-q", "-am", "head: serve metrics from admission"]);
    let head = git(&dir, &["rev-parse", "HEAD"]);
    Repo { _tmp: tmp, dir, base, head }
}

/// The line of IMPORT in the head's admission.go.
fn import_line(dir: &Path) -> usize {
    let src = std::fs::read_to_string(dir.join("internal/admission/admission.go")).unwrap();
    src.lines().position(|l| l == IMPORT).expect("the new import") + 1
}

#[test]
fn diff_names_the_import_with_what_it_brought_and_the_heap_it_added() {
    let r = repo();
    let line = import_line(&r.dir);
    let out = heft(&r.dir, &["diff", "--json", "--measure", "--root", "./cmd/admission", &r.base, &r.head]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &doc["binaries"][0];
    assert_eq!(b["root"], format!("{M}/cmd/admission"));
    let added = b["added"].as_array().unwrap();
    assert_eq!(added.len(), 1, "one import did it: {added:#?}");
    assert_eq!(
        (&added[0]["importer"], &added[0]["imported"]),
        (&format!("{M}/internal/admission").into(), &format!("{M}/internal/server").into())
    );
    assert_eq!(added[0]["site"]["file"], "internal/admission/admission.go");
    assert_eq!(added[0]["site"]["line"], line);
    let brought: Vec<&str> = added[0]["packages"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(brought.contains(&"example.com/busybox/pkg/tzdb") && brought.contains(&"testing"), "{brought:?}");
    let (before, after) = (&b["before"], &b["after"]);
    assert_eq!(after["packages"].as_u64().unwrap() - before["packages"].as_u64().unwrap(), brought.len() as u64);
    // The time-zone table alone keeps ≈0.48 MB live after init.
    let heap = after["heapLive"].as_u64().unwrap() as i64 - before["heapLive"].as_u64().unwrap() as i64;
    assert!(heap > 400_000, "heap at end of init grew by {heap} B");
    assert!(after["binarySize"].as_u64() > before["binarySize"].as_u64());
    // New to this binary: testing, and config's constants-only import of
    // timeutil (which it now links through the server).
    let new: Vec<(&str, &str)> = doc["newFindings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["location"]["file"].as_str().unwrap()))
        .collect();
    assert_eq!(
        new,
        [("test-code-in-binary", "pkg/testutil/metrics.go"), ("constant-only-import", "pkg/config/defaults.go")]
    );
    // The working tree is the default head; the checkout is untouched.
    let status_before = git(&r.dir, &["status", "--porcelain"]);
    let md = heft(&r.dir, &["diff", "--markdown", &r.base]);
    assert!(md.status.success(), "{}", text(&md.stderr));
    assert_eq!(git(&r.dir, &["status", "--porcelain"]), status_before);
    assert_eq!(git(&r.dir, &["worktree", "list"]).lines().count(), 1, "no worktree left behind");
    let md = text(&md.stdout);
    let md = md.replace(&r.base, "BASE");
    insta::assert_snapshot!(md);
}

#[test]
fn check_fails_with_the_chain_and_the_import_and_the_lock_catches_the_new_packages() {
    let r = repo();
    let line = import_line(&r.dir);
    let out = heft(&r.dir, &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", text(&out.stdout), text(&out.stderr));
    let report = text(&out.stdout);
    assert!(
        report.contains(
            "error[forbidden-dependency]: example.com/busybox/cmd/admission links example.com/busybox/pkg/tzdb"
        ),
        "{report}"
    );
    assert!(
        report.contains(&format!("-> example.com/busybox/internal/server  (internal/admission/admission.go:{line})")),
        "{report}"
    );
    assert!(report.contains("use instead: time.LoadLocation"), "{report}");
    assert!(
        report.contains(&format!("error[new-dependency]: {M}/internal/admission -> {M}/internal/server brings")),
        "{report}"
    );
    assert!(report.contains("error[budget-exceeded]: example.com/busybox/cmd/admission: linked packages"), "{report}");

    let json: Value = serde_json::from_slice(&heft(&r.dir, &["check", "--format", "json"]).stdout).unwrap();
    let codes = |doc: &Value| -> Vec<String> {
        doc["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap().to_string()).collect()
    };
    assert!(codes(&json).contains(&"new-dependency".to_string()), "{json:#}");
    let forbidden =
        json["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "forbidden-dependency").unwrap();
    assert_eq!(forbidden["location"]["file"], "pkg/timeutil/timeutil.go", "at the import that lets tzdb in");
    let hops: Vec<&str> =
        forbidden["chain"].as_array().unwrap().iter().map(|h| h["package"].as_str().unwrap()).collect();
    assert_eq!(
        hops[..3],
        [format!("{M}/cmd/admission"), format!("{M}/internal/admission"), format!("{M}/internal/server")]
    );

    // `heft lock` reports the change and keeps the file; --update accepts it.
    let lock = heft(&r.dir, &["lock"]);
    assert_eq!(lock.status.code(), Some(1), "{}", text(&lock.stderr));
    assert!(text(&lock.stderr).contains(&format!("+ {M}/cmd/admission: {M}/pkg/tzdb")), "{}", text(&lock.stderr));
    assert!(heft(&r.dir, &["lock", "--update"]).status.success());
    let after = heft(&r.dir, &["check", "--format", "json"]);
    assert_eq!(after.status.code(), Some(1), "the forbid rule still holds");
    let after: Value = serde_json::from_slice(&after.stdout).unwrap();
    assert!(!codes(&after).contains(&"new-dependency".to_string()), "{after:#}");
    // The lock kept its reasons: only the admission binary's section changed.
    let changed = git(&r.dir, &["diff", "--numstat", "heft.lock"]);
    let removed_lines: u32 = changed.split_whitespace().nth(1).unwrap().parse().unwrap();
    assert_eq!(removed_lines, 0, "no line of the old lock changed: {changed}");
}

#[test]
fn check_speaks_sarif_and_github() {
    let r = repo();
    let out = heft(&r.dir, &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(sarif_schema()).unwrap()).unwrap();
    // The published schema's patterns for `language` have a stray `]` that
    // strict regex engines refuse; escaped, they mean what they meant.
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".into();
    }
    let validator = jsonschema::validator_for(&schema).expect("the SARIF 2.1.0 schema compiles");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF 2.1.0 schema violations: {errors:#?}");
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).expect("serde-sarif reads it");
    assert_eq!(typed.runs.len(), 1);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let forbidden = results.iter().find(|r| r["ruleId"] == "forbidden-dependency").unwrap();
    assert_eq!(forbidden["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "pkg/timeutil/timeutil.go");

    let gh = text(&heft(&r.dir, &["check", "--format", "github"]).stdout);
    let line = import_line(&r.dir);
    assert!(
        gh.lines().any(|l| l.starts_with(&format!(
            "::error file=internal/admission/admission.go,line={line},col=2,title=heft new-dependency::"
        ))),
        "{gh}"
    );
}

/// The SARIF 2.1.0 schema as serde-sarif ships it (found with `cargo
/// metadata`, so no network is needed beyond the crate download).
fn sarif_schema() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let manifest = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    Path::new(manifest).parent().unwrap().join("src/schema.json")
}

#[test]
fn bad_rules_and_revisions_are_clear_errors() {
    let r = repo();
    std::fs::write(r.dir.join("bad.toml"), "[[binary]]\nroot = \"./cmd/agent\"\ninit-heap = \"2 parsecs\"\n").unwrap();
    let out = heft(&r.dir, &["check", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.toml:3:13:") && text(&out.stderr).contains("use B, kB, MB"),
        "{}",
        text(&out.stderr)
    );
    // heft's temporary directories go to a TMPDIR of this test's own.
    let tmp = scratch("guard-tmp");
    let diff =
        |args: &[&str]| heft_command().current_dir(&r.dir).env("TMPDIR", tmp.path()).args(args).output().unwrap();
    let out = diff(&["diff", "no-such-rev"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no-such-rev: no such revision"), "{}", text(&out.stderr));
    // A base whose packages do not load: an error, and nothing left behind.
    let main = r.dir.join("cmd/admission/main.go");
    let src = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, src.replacen("import (", "import (\n\t_ \"example.org/nobody/provides\"", 1)).unwrap();
    git(&r.dir, &["commit", "-q", "-am", "an import nobody provides"]);
    let broken = git(&r.dir, &["rev-parse", "HEAD"]);
    git(&r.dir, &["reset", "-q", "--hard", &r.head]);
    let out = diff(&["diff", &broken, &r.head]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // A shallow clone without the base: the error says to fetch it.
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", r.dir.display());
    git(tmp.path(), &["clone", "-q", "--depth", "1", &url, shallow.to_str().unwrap()]);
    let out = heft_command().current_dir(&shallow).env("TMPDIR", tmp.path()).args(["diff", &r.base]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("shallow: fetch it"), "{}", text(&out.stderr));
}
