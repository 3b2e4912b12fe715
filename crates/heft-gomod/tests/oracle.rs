//! Differential test against the go command's own go.mod parser.
//!
//! Builds a small Go program from the x/mod packages vendored in the Go
//! installation (`$GOROOT/src/cmd/vendor/golang.org/x/mod`, exactly what
//! the go command runs), feeds it thousands of seeded and mutated files,
//! and requires identical results: same fields on success, same rendered
//! error text (positions included) on failure. Skips with a note when `go`
//! is not available.

mod common;

use common::{Rng, SEEDS, mod_json, mutate, work_json};
use heft_gomod::{Mode, format_errors, parse_go_mod_all, parse_go_work_all};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const HELPER: &str = r#"package main

import (
	"encoding/json"
	"go/version"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func result(s string, err error) string {
	if err != nil {
		return "ERR " + err.Error()
	}
	return s
}

func check(err error) string {
	return result("ok", err)
}

// strs compares path and version helpers on "a\nb" inputs.
func strs(data string) map[string]any {
	a, b, _ := strings.Cut(data, "\n")
	prefix, major, ok := module.SplitPathVersion(a)
	_, bmajor, _ := module.SplitPathVersion(b)
	m := map[string]any{
		"EscapePath":      result(module.EscapePath(a)),
		"EscapeVersion":   result(module.EscapeVersion(a)),
		"UnescapePath":    result(module.UnescapePath(a)),
		"UnescapeVersion": result(module.UnescapeVersion(a)),
		"CheckPath":       check(module.CheckPath(a)),
		"CheckImportPath": check(module.CheckImportPath(a)),
		"CheckFilePath":   check(module.CheckFilePath(a)),
		"CheckPathMajor":  check(module.CheckPathMajor(a, bmajor)),
		"Split":           []any{prefix, major, ok},
		"Valid":           semver.IsValid(a),
		"Canonical":       module.CanonicalVersion(a),
		"Compare":         semver.Compare(a, b),
		"Pseudo":          module.IsPseudoVersion(a),
		"GoCompare":       version.Compare("go"+a, "go"+b),
		"GoValid":         version.IsValid("go" + a),
	}
	return m
}

type req struct {
	Path, Version string
	Indirect      bool
	Line          int
}

type rep struct {
	OldPath, OldVersion, NewPath, NewVersion string
	Line                                     int
}

type out struct {
	Error      string `json:",omitempty"`
	Module     *string
	ModuleLine int
	Go         *string
	Toolchain  *string
	Require    []req
	Exclude    []req
	Replace    []rep
	Retract    [][2]string
	Tool       []string
	Ignore     []string
	Godebug    [][2]string
	Use        []req
}

func empty() out {
	return out{Require: []req{}, Exclude: []req{}, Replace: []rep{}, Retract: [][2]string{},
		Tool: []string{}, Ignore: []string{}, Godebug: [][2]string{}, Use: []req{}}
}

func reps(rs []*modfile.Replace) []rep {
	l := []rep{}
	for _, r := range rs {
		l = append(l, rep{r.Old.Path, r.Old.Version, r.New.Path, r.New.Version, r.Syntax.Start.Line})
	}
	return l
}

func main() {
	mode, dir := os.Args[1], os.Args[2]
	names, _ := filepath.Glob(filepath.Join(dir, "*"))
	sort.Strings(names)
	enc := json.NewEncoder(os.Stdout)
	for _, name := range names {
		data, _ := os.ReadFile(name)
		if mode == "strings" {
			enc.Encode(strs(string(data)))
			continue
		}
		o := empty()
		if mode == "work" {
			f, err := modfile.ParseWork("go.mod", data, nil)
			if err != nil {
				enc.Encode(out{Error: err.Error()})
				continue
			}
			if f.Go != nil {
				o.Go = &f.Go.Version
			}
			if f.Toolchain != nil {
				o.Toolchain = &f.Toolchain.Name
			}
			for _, u := range f.Use {
				o.Use = append(o.Use, req{Path: u.Path, Line: u.Syntax.Start.Line})
			}
			o.Replace = reps(f.Replace)
			for _, g := range f.Godebug {
				o.Godebug = append(o.Godebug, [2]string{g.Key, g.Value})
			}
			enc.Encode(o)
			continue
		}
		parse := modfile.Parse
		if mode == "lax" {
			parse = modfile.ParseLax
		}
		f, err := parse("go.mod", data, nil)
		if err != nil {
			enc.Encode(out{Error: err.Error()})
			continue
		}
		if f.Module != nil {
			o.Module = &f.Module.Mod.Path
			o.ModuleLine = f.Module.Syntax.Start.Line
		}
		if f.Go != nil {
			o.Go = &f.Go.Version
		}
		if f.Toolchain != nil {
			o.Toolchain = &f.Toolchain.Name
		}
		for _, r := range f.Require {
			o.Require = append(o.Require, req{r.Mod.Path, r.Mod.Version, r.Indirect, r.Syntax.Start.Line})
		}
		for _, r := range f.Exclude {
			o.Exclude = append(o.Exclude, req{r.Mod.Path, r.Mod.Version, false, r.Syntax.Start.Line})
		}
		o.Replace = reps(f.Replace)
		for _, r := range f.Retract {
			o.Retract = append(o.Retract, [2]string{r.Low, r.High})
		}
		for _, t := range f.Tool {
			o.Tool = append(o.Tool, t.Path)
		}
		for _, t := range f.Ignore {
			o.Ignore = append(o.Ignore, t.Path)
		}
		for _, g := range f.Godebug {
			o.Godebug = append(o.Godebug, [2]string{g.Key, g.Value})
		}
		enc.Encode(o)
	}
}
"#;

fn go_env(var: &str) -> Option<String> {
    let out = Command::new("go").args(["env", var]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        if e.file_type()?.is_file() && e.path().extension().is_some_and(|x| x == "go") {
            std::fs::copy(e.path(), to.join(e.file_name()))?;
        }
    }
    Ok(())
}

/// Builds the helper; None (with a note) when that is not possible here.
/// Builds the helper against the x/mod vendored in GOROOT (the very parser
/// the go command uses), offline.
fn build_helper(work: &Path) -> PathBuf {
    let goroot = go_env("GOROOT").expect("`go env GOROOT`: the differential tests need the go command");
    let xmod = Path::new(&goroot).join("src/cmd/vendor/golang.org/x/mod");
    assert!(xmod.is_dir(), "{} is missing: the go installation is incomplete", xmod.display());
    let local = work.join("xmod");
    for sub in ["modfile", "module", "semver", "internal/lazyregexp"] {
        copy_dir(&xmod.join(sub), &local.join(sub)).unwrap_or_else(|e| panic!("copying {sub}: {e}"));
    }
    std::fs::write(local.join("go.mod"), "module golang.org/x/mod\n\ngo 1.24\n").unwrap();
    let helper = work.join("helper");
    std::fs::create_dir_all(&helper).unwrap();
    std::fs::write(
        helper.join("go.mod"),
        "module heft.test/oracle\n\ngo 1.24\n\nrequire golang.org/x/mod v0.0.0\n\nreplace golang.org/x/mod => ../xmod\n",
    )
    .unwrap();
    std::fs::write(helper.join("main.go"), HELPER).unwrap();
    let bin = work.join("oracle-bin");
    heft_testkit::go::run(
        heft_testkit::go(["build", "-mod=mod", "-o"])
            .arg(&bin)
            .arg(".")
            .current_dir(&helper)
            .env("GOFLAGS", "-mod=mod")
            .env("GOPROXY", "off")
            .env("GOWORK", "off")
            .env("GOTOOLCHAIN", "local"),
    );
    bin
}

fn corpus(seed: u64, n: usize, extra: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut rng = Rng::new(seed);
    let mut bases: Vec<Vec<u8>> = SEEDS.iter().map(|s| s.as_bytes().to_vec()).collect();
    bases.extend_from_slice(extra);
    let mut files = bases.clone();
    while files.len() < n / 2 {
        files.push(common::generate(&mut rng));
    }
    while files.len() < n {
        let base = rng.pick(&bases).clone();
        let mut m = mutate(&mut rng, &base);
        // Sometimes mutate a mutant, to wander further.
        if rng.below(3) == 0 {
            m = mutate(&mut rng, &m);
        }
        files.push(m);
    }
    files
}

fn ours(mode: &str, data: &[u8]) -> Value {
    match mode {
        "work" => match parse_go_work_all(data) {
            Ok(f) => work_json(&f),
            Err(e) => serde_json::json!({ "Error": format_errors("go.mod", &e) }),
        },
        _ => {
            let m = if mode == "lax" { Mode::Lax } else { Mode::Strict };
            match parse_go_mod_all(data, m) {
                Ok(f) => mod_json(&f),
                Err(e) => serde_json::json!({ "Error": format_errors("go.mod", &e) }),
            }
        }
    }
}

fn normalize(mut v: Value) -> Value {
    // The helper reports only the error when there is one.
    if let Some(e) = v.get("Error").filter(|e| e.as_str().is_some_and(|s| !s.is_empty())) {
        return serde_json::json!({ "Error": e });
    }
    if let Value::Object(o) = &mut v {
        o.remove("Error");
    }
    v
}

/// go.mod, go.work and cached .mod files from the local module cache:
/// real-world inputs, compared as they are and used as mutation bases.
fn real_files() -> Vec<Vec<u8>> {
    let Some(cache) = go_env("GOMODCACHE") else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut stack = vec![PathBuf::from(cache)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(ft) = e.file_type() else { continue };
            let path = e.path();
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if name == "go.mod" || name == "go.work" || name.ends_with(".mod") {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found.truncate(3000);
    found.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

#[test]
fn matches_go_command_parser() {
    let work = heft_testkit::scratch("gomod-oracle");
    let work = work.path();
    let bin = build_helper(work);
    let n: usize = std::env::var("HEFT_ORACLE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3000);
    let seed: u64 = std::env::var("HEFT_ORACLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let mut extra = real_files();
    // HEFT_ORACLE_EXTRA=dir adds more inputs, e.g. a fuzzer's corpus.
    if let Some(entries) = std::env::var_os("HEFT_ORACLE_EXTRA").and_then(|d| std::fs::read_dir(d).ok()) {
        extra.extend(entries.flatten().filter_map(|e| std::fs::read(e.path()).ok()));
    }
    let files = corpus(seed, n.max(extra.len() + SEEDS.len()), &extra);
    let dir = work.join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, f) in files.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:06}")), f).unwrap();
    }
    let mut failures = Vec::new();
    for mode in ["mod", "lax", "work"] {
        let out = Command::new(&bin).arg(mode).arg(&dir).output().unwrap();
        assert!(out.status.success(), "helper failed: {}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
        assert_eq!(lines.len(), files.len());
        let mut errors = 0;
        for (i, line) in lines.iter().enumerate() {
            let want = normalize(serde_json::from_str(line).unwrap());
            errors += usize::from(want.get("Error").is_some());
            let got = normalize(ours(mode, &files[i]));
            if want != got {
                failures.push(format!(
                    "[{mode}] case {i:06}: input {:?}\n  go:   {want}\n  heft: {got}",
                    String::from_utf8_lossy(&files[i])
                ));
            }
        }
        eprintln!("{mode}: {} files, {errors} rejected by the go command", files.len());
    }
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(15).cloned().collect();
        panic!("{} mismatches with the go command's parser:\n{}", failures.len(), shown.join("\n"));
    }
}

const PIECES: &[&str] = &[
    "v",
    "v1",
    "v2",
    "0",
    "1",
    "2",
    "10",
    "01",
    ".",
    "..",
    "-",
    "+",
    "incompatible",
    "+incompatible",
    "!",
    "!a",
    "A",
    "Z",
    "/",
    "//",
    "gopkg.in/",
    "github.com/",
    "example.com",
    "x.y",
    "~",
    "~1",
    "_",
    "é",
    "con",
    "aux.txt",
    "pre",
    "rc",
    "alpha",
    "20191109021931",
    "abcdef123456",
    "0.",
    "-0.",
    "/v2",
    "/v1",
    ".v1",
    ".v2",
    "-unstable",
    " ",
    "@",
    "#",
    "?",
    "\\",
    "\u{0}",
    "\u{7f}",
    "\u{a0}",
    "\u{300}",
    "\u{10000}",
    "Azure",
    "+meta",
    ".0",
    "-pre.0.",
];

fn random_string(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.below(9) {
        s.push_str(rng.pick_str(PIECES));
    }
    s
}

fn ours_strings(data: &str) -> Value {
    use heft_gomod::*;
    let (a, b) = data.split_once('\n').unwrap_or((data, ""));
    let res = |r: Result<String, EscapeError>| match r {
        Ok(s) => s,
        Err(e) => format!("ERR {e}"),
    };
    let chk = |r: Result<(), EscapeError>| match r {
        Ok(()) => "ok".to_string(),
        Err(e) => format!("ERR {e}"),
    };
    let split = match split_path_version(a) {
        Some((p, m)) => serde_json::json!([p, m, true]),
        None => serde_json::json!([a, "", false]),
    };
    let bmajor = split_path_version(b).map_or("", |(_, m)| m);
    serde_json::json!({
        "EscapePath": res(escape_path(a)),
        "EscapeVersion": res(escape_version(a)),
        "UnescapePath": res(unescape_path(a)),
        "UnescapeVersion": res(unescape_version(a)),
        "CheckPath": chk(check_path(a)),
        "CheckImportPath": chk(check_import_path(a)),
        "CheckFilePath": chk(check_file_path(a)),
        "CheckPathMajor": chk(check_path_major(a, bmajor)),
        "Split": split,
        "Valid": is_valid_version(a),
        "Canonical": canonical_version(a),
        "Compare": compare_versions(a, b) as i32,
        "Pseudo": is_pseudo_version(a),
        "GoCompare": if a.contains('-') || b.contains('-') { Value::Null } else { serde_json::json!(compare_go_versions(a, b) as i32) },
        "GoValid": if a.contains('-') { Value::Null } else { serde_json::json!(is_valid_go_version(a)) },
    })
}

#[test]
fn path_and_version_helpers_match_go() {
    let work = heft_testkit::scratch("gomod-oracle-strings");
    let work = work.path();
    let bin = build_helper(work);
    let n: usize = std::env::var("HEFT_ORACLE_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3000);
    let mut rng = Rng::new(std::env::var("HEFT_ORACLE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed));
    let fixed = [
        "github.com/Azure/go",
        "github.com/!azure/go",
        "v1.0.0-RC1",
        "v1.0.0-!r!c1",
        "gopkg.in/yaml.v2",
        "x.com/v2\nv2.0.0",
        "v1.2.3\nv1.2.3+incompatible",
        "v0.0.0-20191109021931-daa7c04131f5\nv0.0.0",
        "1.21rc1\n1.21",
        "1.21\n1.21.0",
    ];
    let inputs: Vec<String> = fixed
        .iter()
        .map(|s| s.to_string())
        .chain((fixed.len()..n).map(|_| format!("{}\n{}", random_string(&mut rng), random_string(&mut rng))))
        .collect();
    let dir = work.join("cases");
    std::fs::create_dir_all(&dir).unwrap();
    for (i, f) in inputs.iter().enumerate() {
        std::fs::write(dir.join(format!("{i:06}")), f).unwrap();
    }
    let out = Command::new(&bin).arg("strings").arg(&dir).output().unwrap();
    assert!(out.status.success(), "helper failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut failures = Vec::new();
    for (i, line) in std::str::from_utf8(&out.stdout).unwrap().lines().enumerate() {
        let mut want: Value = serde_json::from_str(line).unwrap();
        let got = ours_strings(&inputs[i]);
        // go/version's "-suffix" stripping is a go/version detail, not gover's.
        for k in ["GoCompare", "GoValid"] {
            if got[k].is_null() {
                want[k] = Value::Null;
            }
        }
        if want != got {
            failures.push(format!("{:?}\n  go:   {want}\n  heft: {got}", inputs[i]));
        }
    }
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(10).cloned().collect();
        panic!("{} mismatches:\n{}", failures.len(), shown.join("\n"));
    }
}
