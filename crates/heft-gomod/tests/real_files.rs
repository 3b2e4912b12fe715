//! Cross-checks against `go mod edit -json` / `go work edit -json` on real
//! files from the module cache (Prometheus v0.316.0 and the modules it
//! builds with, Caddy v2.11.9), downloaded first when missing.

use heft_gomod::{ModFile, ReplaceTarget, WorkFile, parse_go_mod, parse_go_work};
use heft_testkit::go::run;
use heft_testkit::{Platform, RealProgram, go, scratch};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A file of a real program's module, downloaded into the module cache.
fn real_file(program: RealProgram, name: &str) -> PathBuf {
    let p = program.module_cache_dir().join(name);
    assert!(p.is_file(), "{} is missing from the downloaded module", p.display());
    p
}

/// Runs `go <tool> edit -json` on a private copy, so nothing in the
/// module cache (read-only anyway) can be touched.
fn go_edit_json(tool: &str, src: &Path, name: &str) -> Value {
    let scratch = scratch("gomod-edit");
    let file = scratch.path().join(name);
    std::fs::copy(src, &file).unwrap();
    let out = run(go([tool, "edit", "-json"])
        .arg(&file)
        .current_dir(scratch.path())
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", ""));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn list<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    v.get(key).and_then(Value::as_array).map(|a| a.iter().collect()).unwrap_or_default()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn replaces_json(v: &Value) -> Vec<(String, String, String, String)> {
    list(v, "Replace")
        .iter()
        .map(|r| {
            (
                s(&r["Old"], "Path").into(),
                s(&r["Old"], "Version").into(),
                s(&r["New"], "Path").into(),
                s(&r["New"], "Version").into(),
            )
        })
        .collect()
}

fn replaces_ours(rs: &[heft_gomod::Replace]) -> Vec<(String, String, String, String)> {
    rs.iter()
        .map(|r| {
            let (np, nv) = match &r.new {
                ReplaceTarget::Module { path, version } => (path.clone(), version.clone()),
                ReplaceTarget::Dir(d) => (d.to_string_lossy().into_owned(), String::new()),
            };
            (r.old_path.clone(), r.old_version.clone().unwrap_or_default(), np, nv)
        })
        .collect()
}

fn check_mod(path: &Path) {
    let ours: ModFile = parse_go_mod(&std::fs::read(path).unwrap()).unwrap();
    let go = go_edit_json("mod", path, "go.mod");
    assert_eq!(ours.module.as_deref(), go["Module"]["Path"].as_str());
    assert_eq!(ours.go.as_deref(), go["Go"].as_str());
    assert_eq!(ours.toolchain.as_deref(), go["Toolchain"].as_str());
    let reqs: Vec<(&str, &str, bool)> = list(&go, "Require")
        .iter()
        .map(|r| (s(r, "Path"), s(r, "Version"), r["Indirect"].as_bool().unwrap_or(false)))
        .collect();
    let ours_reqs: Vec<(&str, &str, bool)> =
        ours.requires.iter().map(|r| (r.path.as_str(), r.version.as_str(), r.indirect)).collect();
    assert_eq!(ours_reqs, reqs);
    let excl: Vec<(&str, &str)> = list(&go, "Exclude").iter().map(|r| (s(r, "Path"), s(r, "Version"))).collect();
    let ours_excl: Vec<(&str, &str)> = ours.excludes.iter().map(|r| (r.path.as_str(), r.version.as_str())).collect();
    assert_eq!(ours_excl, excl);
    assert_eq!(replaces_ours(&ours.replaces), replaces_json(&go));
    let retr: Vec<(&str, &str)> = list(&go, "Retract").iter().map(|r| (s(r, "Low"), s(r, "High"))).collect();
    let ours_retr: Vec<(&str, &str)> = ours.retracts.iter().map(|r| (r.low.as_str(), r.high.as_str())).collect();
    assert_eq!(ours_retr, retr);
    let tools: Vec<&str> = list(&go, "Tool").iter().map(|t| s(t, "Path")).collect();
    assert_eq!(ours.tools, tools);
    let ignores: Vec<&str> = list(&go, "Ignore").iter().map(|t| s(t, "Path")).collect();
    assert_eq!(ours.ignores, ignores);
    let godebug: Vec<(&str, &str)> = list(&go, "GoDebug").iter().map(|g| (s(g, "Key"), s(g, "Value"))).collect();
    let ours_godebug: Vec<(&str, &str)> = ours.godebugs.iter().map(|g| (g.key.as_str(), g.value.as_str())).collect();
    assert_eq!(ours_godebug, godebug);
    eprintln!(
        "{}: {} requires ({} indirect), {} replaces, {} excludes, {} retracts, {} tools agree with go mod edit -json",
        path.display(),
        ours.requires.len(),
        ours.requires.iter().filter(|r| r.indirect).count(),
        ours.replaces.len(),
        ours.excludes.len(),
        ours.retracts.len(),
        ours.tools.len()
    );
}

fn check_work(path: &Path) {
    let ours: WorkFile = parse_go_work(&std::fs::read(path).unwrap()).unwrap();
    let go = go_edit_json("work", path, "go.work");
    assert_eq!(ours.go.as_deref(), go["Go"].as_str());
    // `go work edit -json` leaves the toolchain out; compare it when given.
    if let Some(t) = go.get("Toolchain") {
        assert_eq!(ours.toolchain.as_deref(), t.as_str());
    }
    let uses: Vec<&str> = list(&go, "Use").iter().map(|u| s(u, "DiskPath")).collect();
    let ours_uses: Vec<&str> = ours.uses.iter().map(|u| u.dir.to_str().unwrap()).collect();
    assert_eq!(ours_uses, uses);
    assert_eq!(replaces_ours(&ours.replaces), replaces_json(&go));
    eprintln!("{}: {} uses agree with go work edit -json", path.display(), ours.uses.len());
}

#[test]
fn prometheus_go_mod() {
    check_mod(&real_file(RealProgram::PROMETHEUS, "go.mod"));
}

#[test]
fn prometheus_go_work() {
    check_work(&real_file(RealProgram::PROMETHEUS, "go.work"));
}

#[test]
fn caddy_go_mod() {
    check_mod(&real_file(RealProgram::CADDY, "go.mod"));
}

/// Every other go.mod and go.work of the module cache, as a wider net:
/// at least those of the modules Prometheus builds with.
#[test]
fn module_cache_files() {
    RealProgram::PROMETHEUS.prepare("./cmd/prometheus", &[Platform::LINUX_AMD64]);
    let cache = run(&mut go(["env", "GOMODCACHE"]));
    let cache = String::from_utf8_lossy(&cache.stdout).trim().to_string();
    let mut files = Vec::new();
    let mut stack = vec![PathBuf::from(cache)];
    while let Some(dir) = stack.pop() {
        if dir.ends_with("cache") {
            continue;
        }
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n == "go.mod" || n == "go.work") {
                files.push(path);
            }
        }
    }
    files.sort();
    files.truncate(1000);
    let mut checked = 0;
    for p in &files {
        let data = std::fs::read(p).unwrap();
        // Only files the go command itself accepts can be compared field by field.
        let tool = if p.ends_with("go.work") { "work" } else { "mod" };
        let ok =
            go([tool, "edit", "-json"]).arg(p).env("GOTOOLCHAIN", "local").output().is_ok_and(|o| o.status.success());
        if tool == "work" {
            assert_eq!(parse_go_work(&data).is_ok(), ok, "{}", p.display());
            if ok {
                check_work(p);
            }
        } else {
            assert_eq!(parse_go_mod(&data).is_ok(), ok, "{}", p.display());
            if ok {
                check_mod(p);
            }
        }
        checked += 1;
    }
    assert!(checked >= 100, "only {checked} go.mod and go.work files in the module cache");
}

/// Vendors a small module (one directory replacement, one module
/// replacement) with `go mod vendor` and checks our reading of the
/// resulting modules.txt against `go list -mod=vendor -deps` (the
/// dependencies are downloaded by `go mod tidy`).
#[test]
fn vendor_modules_txt_matches_go_list() {
    let scratch = scratch("gomod-vendor");
    let dir = scratch.path();
    std::fs::create_dir_all(dir.join("localdep")).unwrap();
    let w = |p: &str, s: &str| std::fs::write(dir.join(p), s).unwrap();
    w("localdep/go.mod", "module example.com/localdep\n\ngo 1.20\n");
    w("localdep/x.go", "package localdep\n\nconst X = 1\n");
    w(
        "go.mod",
        "module example.com/vend\n\ngo 1.22\n\nrequire (\n\tgolang.org/x/mod v0.43.0\n\texample.com/localdep v0.0.0\n\tgithub.com/pkg/errors v0.9.1\n)\n\n\
replace example.com/localdep => ./localdep\n\nreplace github.com/pkg/errors v0.9.1 => github.com/pkg/errors v0.8.1\n",
    );
    w(
        "main.go",
        "package main\n\nimport (\n\t_ \"example.com/localdep\"\n\t_ \"github.com/pkg/errors\"\n\t_ \"golang.org/x/mod/modfile\"\n)\n\nfunc main() {}\n",
    );
    for step in [["mod", "tidy"], ["mod", "vendor"]] {
        run(go(step).current_dir(dir).env("GOFLAGS", "-mod=mod").env("GOTOOLCHAIN", "local").env("GOWORK", "off"));
    }
    let list = go(["list", "-mod=vendor", "-deps", "-f"])
        .arg("{{if .Module}}{{if not .Module.Main}}{{.ImportPath}}|{{.Module.Path}}|{{.Module.Version}}|{{with .Module.Replace}}{{.Path}}|{{.Version}}{{else}}|{{end}}|{{.Module.GoVersion}}{{end}}{{end}}")
        .arg(".")
        .current_dir(dir)
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "")
        .env("GOWORK", "off")
        .output()
        .unwrap();
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    let txt = heft_gomod::parse_modules_txt(&std::fs::read(dir.join("vendor/modules.txt")).unwrap()).unwrap();
    let mut seen = 0;
    for line in String::from_utf8_lossy(&list.stdout).lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('|').collect();
        let (pkg, path, version, rpath, rversion, gov) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let m = txt
            .modules
            .iter()
            .find(|m| m.packages.iter().any(|p| p == pkg))
            .unwrap_or_else(|| panic!("{pkg} not found in modules.txt"));
        assert_eq!((m.path.as_str(), m.version.as_str()), (path, version), "{pkg}");
        let want = match (rpath, rversion) {
            ("", _) => None,
            (p, "") => Some(ReplaceTarget::Dir(p.into())),
            (p, v) => Some(ReplaceTarget::Module { path: p.to_string(), version: v.to_string() }),
        };
        assert_eq!(m.replacement, want, "{pkg}");
        assert_eq!(m.go_version.as_deref().unwrap_or(""), gov, "{pkg}");
        assert!(m.explicit, "{pkg}");
        seen += 1;
    }
    assert!(seen >= 6, "only {seen} vendored packages listed");
    // The wildcard replacement header is recorded too, without packages.
    assert!(txt.modules.iter().any(|m| m.path == "example.com/localdep" && m.version.is_empty()));
    eprintln!("{seen} vendored packages agree with go list -mod=vendor");
}
