//! `heft cuts`, `heft evict` and the report on the bundled example: the
//! shapes it was built to show come out on top.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::env::example;

fn heft(args: &[&str]) -> Value {
    let out = crate::env::heft_command().args(args).current_dir(example()).output().expect("run heft");
    assert!(out.status.success(), "heft {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// (importer, imported) of a cut row and of its alternatives.
fn edges(cut: &Value) -> Vec<(String, String)> {
    let edge = |v: &Value| (v["importer"].as_str().unwrap().to_string(), v["imported"].as_str().unwrap().to_string());
    std::iter::once(edge(cut)).chain(cut["alternatives"].as_array().unwrap().iter().map(edge)).collect()
}

const M: &str = "example.com/busybox";

#[test]
fn interface_only_import_is_the_top_cut_of_the_server_and_of_all_binaries() {
    for roots in [vec!["./cmd/server"], vec!["./cmd/agent", "./cmd/server", "./cmd/admission", "./cmd/busybox"]] {
        let mut args = vec!["cuts", "--json"];
        args.extend(&roots);
        let doc = heft(&args);
        let top = &doc["cuts"][0];
        let want = (format!("{M}/pkg/registry"), format!("{M}/pkg/cloud/auth"));
        assert!(edges(top).contains(&want), "{roots:?}: top cut {top}");
        assert!(top["removes"]["packages"].as_u64().unwrap() >= 9, "{top}");
    }
}

#[test]
fn constant_only_import_frees_the_heavy_init_package() {
    let doc = heft(&["cuts", "--json", "--top", "0", "./cmd/agent"]);
    let want = (format!("{M}/pkg/config"), format!("{M}/pkg/timeutil"));
    let row = doc["cuts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| edges(c).contains(&want))
        .expect("config -> timeutil is proposed");
    let removed: Vec<&str> = row["removed"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(removed.contains(&format!("{M}/pkg/tzdb").as_str()), "{row}");
    assert_eq!(row["sites"][0]["line"], 11, "{row}");
}

#[test]
fn evict_takes_the_cheapest_cut_next_to_the_target() {
    let doc = heft(&["evict", "--json", "./cmd/busybox", &format!("{M}/pkg/cloud/...")]);
    let cuts = doc["cuts"].as_array().unwrap();
    assert_eq!(cuts.len(), 1, "{doc}");
    assert_eq!(cuts[0]["importer"], format!("{M}/pkg/registry"));
    assert_eq!(cuts[0]["imported"], format!("{M}/pkg/cloud/auth"));
    assert_eq!(doc["removes"]["packages"], 9);
    let doc = heft(&["evict", "--json", "./cmd/busybox", "testing"]);
    assert_eq!(doc["cuts"][0]["importer"], format!("{M}/pkg/testutil"));
}

#[test]
fn report_covers_every_binary_and_all_together() {
    let doc = heft(&["--json", "./cmd/..."]);
    let binaries = doc["binaries"].as_array().unwrap();
    assert_eq!(binaries.len(), 4);
    for b in binaries {
        assert!(b["packages"].as_u64().unwrap() > 50, "{b}");
        assert!(!b["cuts"].as_array().unwrap().is_empty(), "{b}");
    }
    assert!(doc["all"]["packages"].as_u64().unwrap() >= 237);
}

#[test]
fn package_removal_sets_rank_the_server_implementation_first() {
    let doc = heft(&["cuts", "--packages", "--json", "--top", "3", "./cmd/server"]);
    assert_eq!(doc[0]["package"], format!("{M}/internal/server"), "{doc}");
    let removed = doc[0]["removed"].as_array().unwrap();
    assert_eq!(removed.len() as u64, doc[0]["removes"]["packages"].as_u64().unwrap());
    assert!(removed.iter().any(|p| p == &Value::from(format!("{M}/pkg/cloud/auth"))), "{doc}");
}

/// `heft cuts --by heap` with saved measurements: the 1 MiB init fixture
/// comes first, and the constant-only import that drags the timezone table
/// (≈0.5 MB kept after init) is next in line.
/// Runs `heft measure --json` on the roots and saves it to a file.
fn measure(roots: &[&str], name: &str) -> PathBuf {
    let measured = crate::env::heft_command()
        .args(["measure", "--json"])
        .args(roots)
        .current_dir(example())
        .output()
        .expect("heft measure");
    assert!(measured.status.success(), "heft measure: {}", String::from_utf8_lossy(&measured.stderr));
    let file = std::env::temp_dir().join(format!("heft-measure-{name}-{}.json", std::process::id()));
    std::fs::write(&file, &measured.stdout).unwrap();
    file
}

#[test]
fn report_shows_the_measured_start_up_table() {
    let file = measure(&["./cmd/agent", "./cmd/server"], "report");
    let doc = heft(&["--json", "--measurements", file.to_str().unwrap(), "./cmd/agent", "./cmd/server"]);
    let _ = std::fs::remove_file(&file);
    for b in doc["binaries"].as_array().unwrap() {
        let m = &b["measured"];
        assert!(m["heapLive"].as_u64().unwrap() > 100_000, "{b}");
        assert!(m["mallocs"].as_u64().unwrap() > 1_000, "{b}");
        assert!(m["binarySize"].as_u64().unwrap() > 1_000_000, "{b}");
    }
    // The agent keeps the 1 MiB fixture alive after init.
    assert!(doc["binaries"][0]["measured"]["heapLive"].as_u64().unwrap() > 1 << 20, "{doc}");
}

#[test]
fn cuts_by_retained_heap_use_measurements() {
    let file = measure(&["./cmd/agent"], "cuts");
    let doc = heft(&["cuts", "--json", "--by", "heap", "--measurements", file.to_str().unwrap(), "./cmd/agent"]);
    let _ = std::fs::remove_file(&file);
    let cuts = doc["cuts"].as_array().unwrap();
    assert_eq!(cuts[0]["imported"], format!("{M}/internal/initalloc/retain1m"), "{doc}");
    let heap = |c: &Value| c["removes"]["weight"].as_u64().unwrap();
    assert!((1 << 20..(1 << 20) + 4096).contains(&heap(&cuts[0])), "{}", cuts[0]);
    let tz = (format!("{M}/pkg/config"), format!("{M}/pkg/timeutil"));
    let pos = cuts.iter().position(|c| edges(c).contains(&tz)).expect("config -> timeutil ranked");
    assert!(pos <= 2, "config -> timeutil at {pos}");
    assert!(heap(&cuts[pos]) > 400_000, "{}", cuts[pos]);
    // Without measurements, a measured weight is a clear error.
    let out = crate::env::heft_command()
        .args(["cuts", "--by", "heap", "./cmd/agent"])
        .current_dir(example())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--measurements"));
}

/// `heft cuts --by binary` with a binary built from the same root: the
/// cloud SDK behind an interface-only import costs almost no bytes (the
/// linker drops its code), the template engine costs a lot.
#[test]
fn cuts_by_binary_bytes_show_what_the_linker_dropped() {
    let bin = std::env::temp_dir().join(format!("heft-server-{}", std::process::id()));
    let status = Command::new("go")
        .args(["build", "-o"])
        .arg(&bin)
        .arg("./cmd/server")
        .current_dir(example())
        .status()
        .expect("go build");
    assert!(status.success());
    let doc =
        heft(&["cuts", "--json", "--by", "binary", "--binary", bin.to_str().unwrap(), "--top", "0", "./cmd/server"]);
    let _ = std::fs::remove_file(&bin);
    let cuts = doc["cuts"].as_array().unwrap();
    let row = |from: &str, to: &str| {
        let want = (format!("{M}/{from}"), format!("{M}/{to}"));
        cuts.iter().find(|c| edges(c).contains(&want)).unwrap_or_else(|| panic!("{from} -> {to} in {doc}"))
    };
    let cloud = row("pkg/registry", "pkg/cloud/auth");
    assert!(cloud["removes"]["zeroWeightPackages"].as_u64().unwrap() >= 5, "{cloud}");
    let webui = row("internal/server", "pkg/webui");
    assert!(webui["removes"]["weight"].as_u64().unwrap() > 100_000, "{webui}");
    assert_eq!(cuts[0], *webui, "the template engine is the heaviest cut in bytes");
}

/// `heft cuts --by cheap`: the designed cheap cuts lead, each with the
/// recipe its anatomy calls for.
#[test]
fn cheapest_cuts_come_first_with_their_recipes() {
    let doc = heft(&["cuts", "--json", "--by", "cheap", "--top", "0", "./cmd/..."]);
    let cuts = doc["cuts"].as_array().unwrap();
    let find = |from: &str, to: &str| {
        cuts.iter()
            .position(|c| c["importer"] == format!("{M}/{from}") && c["imported"] == *to)
            .unwrap_or_else(|| panic!("{from} -> {to} not among the cheapest: {doc}"))
    };
    for (from, to, recipe, within) in [
        ("pkg/registry", format!("{M}/pkg/cloud/auth"), "interfaces_only", 2),
        ("pkg/grpcerr", format!("{M}/pkg/db/driver"), "error_target", 3),
        ("pkg/protohelp", format!("{M}/pkg/graphql"), "small_function", 4),
        ("pkg/testutil", "testing".to_string(), "test_helpers", 5),
        ("internal/agent", format!("{M}/pkg/render"), "pass_it_in", 8),
        ("pkg/config", format!("{M}/pkg/timeutil"), "constants_only", 9),
    ] {
        let at = find(from, &to);
        assert!(at < within, "{from} -> {to} ranks {at}");
        assert_eq!(cuts[at]["recipe"]["recipe"], recipe, "{}", cuts[at]);
        assert_eq!(cuts[at]["effort"], 1 + u64::from(recipe == "constants_only"), "{}", cuts[at]);
        assert!(cuts[at].get("structure").is_none(), "{}", cuts[at]);
    }
    // Every binary links cli, only the server calls the one function of cli
    // that uses buildinfo: move it there, and agent and admission go free.
    let version = &cuts[find("internal/cli", &format!("{M}/pkg/buildinfo"))];
    assert_eq!(version["recipe"]["recipe"], "move_to_caller", "{version}");
    assert_eq!(version["recipe"]["name"], "PrintVersion", "{version}");
    assert_eq!(version["recipe"]["to"], format!("{M}/internal/server"), "{version}");
    assert_eq!(
        version["recipe"]["kept_by"],
        serde_json::json!([format!("{M}/cmd/busybox"), format!("{M}/cmd/server")])
    );
}

/// The agent's own pipeline (one identifier, `New`; three packages built on
/// the agent's configuration and policy, which stay) is a part of the
/// program, not a cut: marked with go list's figures, and ranked after every
/// other cut although it removes more per identifier than some of them.
#[test]
fn program_structure_ranks_after_every_cut() {
    use heft_testkit::{Platform, oracle::Case};

    let pipeline = format!("{M}/internal/agent/pipeline");
    // Source bytes of the example's packages `pattern` links, by go list.
    let own_bytes = |pattern: &str| -> Vec<(String, u64)> {
        let listed = Case::whole(&example(), pattern, Platform::LINUX_AMD64).go_list();
        listed
            .into_iter()
            .inspect(|p| assert!(p.error.is_none(), "{}: {:?}", p.import_path, p.error))
            .filter(|p| p.import_path.starts_with(M))
            .map(|p| {
                let files = p.go_files.iter().chain(&p.cgo_files);
                let size = files.map(|f| std::fs::metadata(PathBuf::from(&p.dir).join(f)).unwrap().len()).sum();
                (p.import_path, size)
            })
            .collect()
    };
    let (mut removed, mut kept) = (0, 0);
    for (path, size) in own_bytes("./internal/agent/pipeline") {
        if path == pipeline || path.starts_with(&format!("{pipeline}/")) {
            removed += size;
        } else {
            kept += size;
        }
    }
    for (by, roots) in [("cheap", "./cmd/..."), ("packages", "./cmd/agent")] {
        let linked: u64 = own_bytes(roots).iter().map(|(_, size)| size).sum();
        let doc = heft(&["cuts", "--json", "--by", by, "--top", "0", roots]);
        let cuts = doc["cuts"].as_array().unwrap();
        let at = cuts.iter().position(|c| c["imported"] == *pipeline).unwrap_or_else(|| panic!("no pipeline: {doc}"));
        let row = &cuts[at];
        assert_eq!(row["importer"], format!("{M}/internal/agent"), "{row}");
        assert_eq!((&row["effort"], &row["removes"]["packages"]), (&Value::from(1), &Value::from(3)), "{row}");
        let want = serde_json::json!({"ownSourceRemoved": removed, "ownSourceKept": kept, "ownSourceLinked": linked});
        assert_eq!(row["structure"], want);
        assert!(cuts[at..].iter().all(|c| c.get("structure").is_some()), "{by} {roots}: a cut after {row}");
        let per_identifier = |c: &Value| c["removes"]["weight"].as_u64().unwrap() / c["effort"].as_u64().unwrap();
        assert!(cuts[..at].iter().any(|c| per_identifier(c) < 3), "{by} {roots}: nothing was ranked above it");
    }
}

/// `heft evict` weighs each cut by the identifiers its importer uses: here
/// b uses three identifiers of t but a only one of b, so the plan is a → b,
/// and the fewest-imports plan nearest the target (b → t) follows it.
#[test]
fn evict_by_effort_prefers_the_import_that_uses_least() {
    let dir = std::env::temp_dir().join(format!("heft-effort-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = [
        ("go.mod", "module example.com/e\n\ngo 1.22\n"),
        ("cmd/x/main.go", "package main\n\nimport \"example.com/e/a\"\n\nfunc main() { a.A() }\n"),
        ("a/a.go", "package a\n\nimport \"example.com/e/b\"\n\nfunc A() { b.B() }\n"),
        ("b/b.go", "package b\n\nimport \"example.com/e/t\"\n\nfunc B() { t.One(); t.Two(); t.Three() }\n"),
        ("t/t.go", "package t\n\nfunc One()   {}\nfunc Two()   {}\nfunc Three() {}\n"),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let plan = |extra: &[&str]| {
        let out = crate::env::heft_command()
            .args(["evict", "--json"])
            .args(extra)
            .args(["./cmd/x", "example.com/e/t"])
            .current_dir(&dir)
            .env("GOWORK", "off")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let first =
            |p: &Value| (p["by"].as_str().unwrap().to_string(), p["cuts"][0]["importer"].as_str().unwrap().to_string());
        (first(&doc), first(&doc["other"]))
    };
    let [effort, fewest] = [("effort", "example.com/e/a"), ("fewest", "example.com/e/b")]
        .map(|(by, importer)| (by.to_string(), importer.to_string()));
    // The least rework first (a uses one function of b; b uses three of t),
    // then the fewest imports, which differs.
    assert_eq!(plan(&[]), (effort.clone(), fewest.clone()));
    assert_eq!(plan(&["--fewest"]), (fewest, effort));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two imports of the program's own subsystems, each built on a shared base
/// package that stays: the one that calls a constructor is marked as
/// structure; the one that only takes a constant is a cut to make (move
/// the constant), whatever the package behind it builds on. A fresh
/// `go mod init` module (no dot in its path).
#[test]
fn an_import_for_a_constant_is_never_structure() {
    let dir = std::env::temp_dir().join(format!("heft-structure-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // base is large: what the subsystems build on outweighs them.
    let base = format!(
        "package base\n\n{}",
        (0..40).map(|i| format!("func F{i}(x int) int {{ return x*{i} + {i} }}\n")).collect::<String>()
    );
    let files = [
        ("go.mod", "module myapp\n\ngo 1.22\n".to_string()),
        (
            "cmd/x/main.go",
            "package main\n\nimport (\n\t\"myapp/app\"\n\t\"myapp/base\"\n)\n\nfunc main() { app.Run(); base.F1(1) }\n"
                .into(),
        ),
        (
            "app/app.go",
            "package app\n\nimport (\n\t\"myapp/limits\"\n\t\"myapp/worker\"\n)\n\n\
             func Run() { worker.New().Do(limits.MaxItems) }\n"
                .into(),
        ),
        (
            "worker/worker.go",
            "package worker\n\nimport \"myapp/base\"\n\ntype W struct{}\n\nfunc New() W { return W{} }\n\n\
             func (W) Do(n int) int { return base.F2(n) }\n"
                .into(),
        ),
        (
            "limits/limits.go",
            "package limits\n\nimport \"myapp/base\"\n\nconst MaxItems = 1000\n\nvar Scale = base.F3(2)\n".into(),
        ),
        ("base/base.go", base),
    ];
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = crate::env::heft_command()
        .args(["cuts", "--json", "--top", "0", "./cmd/x"])
        .current_dir(&dir)
        .env("GOWORK", "off")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = |to: &str| {
        doc["cuts"].as_array().unwrap().iter().find(|c| c["imported"] == to).unwrap_or_else(|| panic!("{to}: {doc}"))
    };
    assert!(row("myapp/worker").get("structure").is_some(), "{doc}");
    let limits = row("myapp/limits");
    assert!(limits.get("structure").is_none(), "{doc}");
    assert_eq!(limits["recipe"]["recipe"], "constants_only", "{doc}");
    assert_eq!(doc["cuts"][0], *limits, "the constant's cut comes first");
}

#[test]
fn report_includes_the_findings() {
    let doc = heft(&["--json", "./cmd/server"]);
    let f = &doc["findings"];
    assert_eq!(f["testCode"][0]["code"], "test-code-in-binary", "{f}");
    assert_eq!(f["testCode"][0]["chain"].as_array().unwrap().last().unwrap()["package"], "testing", "{f}");
    assert!(f["constantImports"].as_array().unwrap().iter().any(|c| c.to_string().contains("pkg/timeutil")), "{f}");
    let without = heft(&["--json", "--no-findings", "./cmd/server"]);
    assert!(without.get("findings").is_none());
}

/// "One small function: copy it" must hold: a function that itself calls
/// into a package the cut would remove cannot just be copied (the copy
/// keeps that package), so the recipe is to pass its result in; a function
/// that reaches nothing keeps its copy recipe.
#[test]
fn a_small_function_that_reaches_the_removal_set_is_passed_in_not_copied() {
    let t = heft_testkit::scratch_with(
        "pass-it-in",
        &[
            ("go.mod", "module example.com/p\n\ngo 1.22\n"),
            (
                "cmd/x/main.go",
                "package main\n\nimport (\n\t\"example.com/p/a\"\n\t\"example.com/p/c\"\n\n\t_ \"image/png\"\n)\n\nfunc main() { a.A(); c.Plain() }\n",
            ),
            ("a/a.go", "package a\n\nimport \"example.com/p/b\"\n\nfunc A() string { return b.Label() }\n"),
            (
                "b/b.go",
                "package b\n\nimport \"example.com/p/heavy\"\n\n// Label is small, but it calls into heavy.\nfunc Label() string { return prefix() + \"!\" }\n\nfunc prefix() string { return heavy.Name() }\n",
            ),
            ("heavy/heavy.go", "package heavy\n\nfunc Name() string { return \"heavy\" }\n"),
            ("c/c.go", "package c\n\nimport \"example.com/p/d\"\n\nfunc Plain() bool { return d.IsName(\"x\") }\n"),
            (
                "d/d.go",
                "package d\n\nimport \"strings\"\n\nvar _ = strings.ToUpper\n\nfunc IsName(s string) bool { return s != \"\" }\n",
            ),
        ],
    );
    let out = crate::env::heft_command().current_dir(t.path()).args(["cuts", "--json", "./cmd/x"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let cut = |importer: &str| {
        doc["cuts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["importer"] == importer)
            .unwrap_or_else(|| panic!("a cut from {importer}: {doc:#}"))
            .clone()
    };
    let a = cut("example.com/p/a");
    assert_eq!(a["recipe"]["recipe"], "pass_it_in", "{a:#}");
    assert_eq!(a["recipe"]["reaches"], serde_json::json!(["example.com/p/heavy"]));
    // A blank import already in main is not told to move to main.
    let side = cut("example.com/p/cmd/x");
    assert_eq!(
        (&side["recipe"]["recipe"], &side["recipe"]["in_main"]),
        (&"nothing_used".into(), &true.into()),
        "{side:#}"
    );
    // d.IsName reaches nothing of what the cut removes: copying it holds.
    let c = cut("example.com/p/c");
    assert_eq!(c["recipe"]["recipe"], "small_function", "{c:#}");
    let text = crate::env::heft_output(t.path(), &["explain", "./cmd/x", "example.com/p/a", "example.com/p/b"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("recipe: one small function (Label), but it reaches example.com/p/heavy"), "{text}");
}

/// `heft evict` of a driver that the project wraps: by default the plan
/// cuts the two packages that import the wrapper for a constant (with its
/// type) and an error type, not the wrapper from its driver (the plan with
/// the fewest imports, shown after it).
#[test]
fn evicting_a_wrapped_driver_cuts_the_uses_of_the_wrapper() {
    let doc = heft(&["evict", "--json", "./cmd/server", "pkg/sqlite"]);
    let pairs = |cuts: &Value| -> Vec<(String, String)> {
        cuts.as_array()
            .unwrap()
            .iter()
            .map(|c| (c["importer"].as_str().unwrap().to_string(), c["imported"].as_str().unwrap().to_string()))
            .collect()
    };
    let store = format!("{M}/internal/store");
    assert_eq!(
        pairs(&doc["cuts"]),
        vec![(format!("{M}/pkg/audit"), store.clone()), (format!("{M}/pkg/jobs"), store.clone())],
        "{doc}"
    );
    assert_eq!(pairs(&doc["other"]["cuts"]), vec![(store, format!("{M}/pkg/sqlite"))], "{doc}");
}
