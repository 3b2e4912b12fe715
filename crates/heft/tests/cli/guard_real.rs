//! The guard on a real program: BurntSushi/toml's `cmd/tomlv` at two
//! pinned releases as the base and head commits of a repository. `heft
//! diff`'s figures must be go list's at each revision, its edges must
//! account for exactly the packages that came and went, and `heft check`
//! must hold the budget and the forbid rules.

use std::collections::BTreeSet;
use std::path::Path;

use heft_testkit::go::run;
use heft_testkit::{Platform, RealProgram, go, scratch};
use serde_json::Value;

use crate::env::{copy_dir, git, heft_command};

const BASE: RealProgram = RealProgram { module: "github.com/BurntSushi/toml", version: "v1.3.2" };
const HEAD: RealProgram = RealProgram::TOML;
const ROOT: &str = "./cmd/tomlv";

/// `go list -deps ./cmd/tomlv` in `dir`, as a set.
fn listed(dir: &Path) -> BTreeSet<String> {
    let out = run(go(["list", "-deps", ROOT]).current_dir(dir).env("GOWORK", "off").env("GOFLAGS", "-mod=mod"));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

/// Replaces everything but .git in `dir` with `from`.
fn replace_tree(dir: &Path, from: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.file_name() != ".git" {
            let p = e.path();
            if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) }.unwrap();
        }
    }
    copy_dir(from, dir);
}

#[test]
fn diff_and_check_on_two_releases_of_a_real_program() {
    let (base_src, head_src) =
        (BASE.prepare(ROOT, &[Platform::LINUX_AMD64]), HEAD.prepare(ROOT, &[Platform::LINUX_AMD64]));
    let tmp = scratch("guard-real");
    let dir = tmp.path().join("toml");
    copy_dir(&base_src, &dir);
    git(&dir, &["init", "-q", "-b", "main"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", BASE.version]);
    let base = git(&dir, &["rev-parse", "HEAD"]);
    replace_tree(&dir, &head_src);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", HEAD.version]);
    let head = git(&dir, &["rev-parse", "HEAD"]);

    let out = heft_command()
        .current_dir(&dir)
        .env("GOWORK", "off")
        .args(["diff", "--json", "--root", ROOT, &base, &head])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let b = &doc["binaries"][0];
    assert_eq!(b["root"], "github.com/BurntSushi/toml/cmd/tomlv");
    let (old, new) = (listed(&base_src), listed(&head_src));
    assert_eq!(b["before"]["packages"], old.len(), "the base's figure is go list's");
    assert_eq!(b["after"]["packages"], new.len(), "the head's figure is go list's");
    let union = |key: &str| -> BTreeSet<String> {
        b[key]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["packages"].as_array().unwrap())
            .map(|p| p.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(union("added"), new.difference(&old).cloned().collect(), "every new package, through some import");
    assert_eq!(union("removed"), old.difference(&new).cloned().collect(), "every package gone, with some import");

    // A budget one package short fails; forbidding what it does not link passes.
    let rules = format!(
        "[[binary]]\nroot = \"{ROOT}\"\npackages = {}\n\n[[forbid]]\npackages = [\"testing/...\", \"net/http/...\"]\nreason = \"a validator needs neither\"\n",
        new.len() - 1
    );
    std::fs::write(dir.join("heft.toml"), rules).unwrap();
    let out =
        heft_command().current_dir(&dir).env("GOWORK", "off").args(["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["budget-exceeded"], "{report:#}");
}
