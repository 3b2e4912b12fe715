//! The oracle: `go list -e -deps -json` on the same patterns and settings,
//! compared with heft's loader package by package.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use heft_load::{EnvOverrides, GoEnv, LoadConfig, Program};
use serde::Deserialize;

/// The targets every oracle case runs on.
pub const PLATFORMS: &[(&str, &str, bool)] = &[
    ("linux", "amd64", true),
    ("linux", "amd64", false),
    ("darwin", "arm64", true),
    ("darwin", "arm64", false),
    ("windows", "amd64", true),
    ("windows", "amd64", false),
];

#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "PascalCase", default)]
pub struct GoPackage {
    pub import_path: String,
    pub dir: String,
    pub name: String,
    pub standard: bool,
    pub go_files: Vec<String>,
    pub cgo_files: Vec<String>,
    pub imports: Vec<String>,
    pub module: Option<GoModule>,
    pub error: Option<GoError>,
}

#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "PascalCase", default)]
pub struct GoModule {
    pub path: String,
    pub version: String,
}

#[derive(Deserialize, Debug, Default)]
#[serde(rename_all = "PascalCase", default)]
pub struct GoError {
    pub err: String,
}

pub fn go_available() -> bool {
    Command::new("go").arg("version").output().is_ok_and(|o| o.status.success())
}

/// One oracle case: where, which patterns, which environment.
#[derive(Clone, Debug)]
pub struct Case {
    pub dir: PathBuf,
    pub patterns: Vec<String>,
    pub vars: Vec<(String, String)>,
    pub goos: String,
    pub goarch: String,
    pub cgo: bool,
}

impl Case {
    pub fn describe(&self) -> String {
        let vars: Vec<String> = self.vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "{} [{}/{} cgo={} {}] {}",
            self.dir.display(),
            self.goos,
            self.goarch,
            self.cgo as u8,
            vars.join(" "),
            self.patterns.join(" ")
        )
    }

    fn go_env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            ("GOOS".to_string(), self.goos.clone()),
            ("GOARCH".to_string(), self.goarch.clone()),
            ("CGO_ENABLED".to_string(), if self.cgo { "1" } else { "0" }.to_string()),
            ("GOPROXY".to_string(), std::env::var("GOPROXY").unwrap_or_default()),
        ];
        env.retain(|(k, v)| k != "GOPROXY" || !v.is_empty());
        env.extend(self.vars.iter().cloned());
        env
    }

    /// Runs `go list -e -deps -json`.
    pub fn go_list(&self) -> Vec<GoPackage> {
        let out = Command::new("go")
            .args(["list", "-e", "-deps", "-json"])
            .args(&self.patterns)
            .current_dir(&self.dir)
            .envs(self.go_env())
            .output()
            .expect("running go list");
        let stream = serde_json::Deserializer::from_slice(&out.stdout).into_iter::<GoPackage>();
        let pkgs: Vec<GoPackage> = stream.collect::<Result<_, _>>().unwrap_or_else(|e| {
            panic!("{}: go list output: {e}\nstderr: {}", self.describe(), String::from_utf8_lossy(&out.stderr))
        });
        pkgs
    }

    /// Runs heft's loader with the same settings, reading every file.
    pub fn heft(&self) -> Result<Program, heft_load::LoadError> {
        self.heft_with_index(None)
    }

    /// Runs heft's loader with the same settings and an index directory.
    pub fn heft_with_index(&self, index_dir: Option<PathBuf>) -> Result<Program, heft_load::LoadError> {
        let overrides = EnvOverrides {
            goos: Some(self.goos.clone()),
            goarch: Some(self.goarch.clone()),
            cgo_enabled: Some(self.cgo),
            tags: Vec::new(),
            vars: self.vars.clone(),
        };
        let env = GoEnv::from_go_command(&self.dir, &overrides, index_dir.as_deref())?;
        heft_load::load(&LoadConfig { dir: self.dir.clone(), patterns: self.patterns.clone(), env, index_dir })
    }
}

/// The index directory the tests share (under target/).
pub fn test_index_dir() -> PathBuf {
    workspace_root().join("target/heft-test-index")
}

/// Compares heft with the oracle, reading every file and then twice with
/// the persistent index (the second run reads from it); returns the
/// differences found (empty when they agree).
pub fn compare(case: &Case) -> Vec<String> {
    let want = case.go_list();
    let mut diffs = Vec::new();
    for index in [None, Some(test_index_dir()), Some(test_index_dir())] {
        let label = if index.is_some() { "with index" } else { "without index" };
        diffs.extend(compare_one(case, &want, index).into_iter().map(|d| format!("{label}: {d}")));
    }
    diffs
}

fn compare_one(case: &Case, want: &[GoPackage], index: Option<PathBuf>) -> Vec<String> {
    let mut diffs = Vec::new();
    let prog = match case.heft_with_index(index) {
        Ok(p) => p,
        Err(e) => {
            if want.iter().any(|p| p.error.is_some()) || want.is_empty() {
                return diffs; // go fails too; heft failing whole is acceptable
            }
            return vec![format!("heft failed: {e}")];
        }
    };
    let want_map: BTreeMap<&str, &GoPackage> = want.iter().map(|p| (p.import_path.as_str(), p)).collect();
    let got_paths: BTreeSet<&str> = prog.packages.iter().map(|p| p.path.as_str()).collect();
    let want_paths: BTreeSet<&str> = want_map.keys().copied().collect();
    for p in want_paths.difference(&got_paths) {
        diffs.push(format!("missing package {p} (go list: {:?})", want_map[p].error.as_ref().map(|e| &e.err)));
    }
    for p in got_paths.difference(&want_paths) {
        diffs.push(format!("extra package {p}"));
    }
    for p in &prog.packages {
        let Some(w) = want_map.get(p.path.as_str()) else {
            continue;
        };
        let go_err = w.error.as_ref().map(|e| e.err.as_str());
        if go_err.is_some() == p.errors.is_empty() {
            diffs.push(format!(
                "{}: go list error {:?}, heft errors {:?}",
                p.path,
                go_err,
                p.errors.iter().map(ToString::to_string).collect::<Vec<_>>()
            ));
            continue;
        }
        if go_err.is_some() {
            continue;
        }
        let want_imports: BTreeSet<&str> = w.imports.iter().map(String::as_str).filter(|i| *i != "C").collect();
        let got_imports: BTreeSet<&str> = p.imports.iter().filter(|i| !i.implicit).map(|i| i.path.as_str()).collect();
        if want_imports != got_imports {
            diffs.push(format!(
                "{}: imports differ: go only {:?}, heft only {:?}",
                p.path,
                want_imports.difference(&got_imports).collect::<Vec<_>>(),
                got_imports.difference(&want_imports).collect::<Vec<_>>()
            ));
        }
        if w.go_files != p.go_files || w.cgo_files != p.cgo_files {
            diffs.push(format!(
                "{}: files differ: go {:?} + cgo {:?}, heft {:?} + cgo {:?}",
                p.path, w.go_files, w.cgo_files, p.go_files, p.cgo_files
            ));
        }
        let want_bytes: u64 = w
            .go_files
            .iter()
            .chain(&w.cgo_files)
            .map(|f| std::fs::metadata(Path::new(&w.dir).join(f)).map_or(0, |m| m.len()))
            .sum();
        if want_bytes != p.source_bytes {
            diffs.push(format!("{}: source bytes differ: files {want_bytes}, heft {}", p.path, p.source_bytes));
        }
        if Path::new(&w.dir) != p.dir {
            diffs.push(format!("{}: dir differs: go {}, heft {}", p.path, w.dir, p.dir.display()));
        }
        if w.standard != p.standard {
            diffs.push(format!("{}: standard differs", p.path));
        }
        let got_module = p.module.map(|id| {
            let m = &prog.modules.list[id as usize];
            (m.path.as_str(), m.version.as_deref().unwrap_or(""))
        });
        let want_module = w.module.as_ref().map(|m| (m.path.as_str(), m.version.as_str()));
        if got_module != want_module {
            diffs.push(format!("{}: module differs: go {want_module:?}, heft {got_module:?}", p.path));
        }
    }
    diffs
}

/// Runs `compare` on every platform; one message per disagreeing platform.
pub fn differences_on_all_platforms(dir: &Path, patterns: &[String], vars: &[(String, String)]) -> Vec<String> {
    let mut failures = Vec::new();
    for &(goos, goarch, cgo) in PLATFORMS {
        let case = Case {
            dir: dir.to_path_buf(),
            patterns: patterns.to_vec(),
            vars: vars.to_vec(),
            goos: goos.into(),
            goarch: goarch.into(),
            cgo,
        };
        let diffs = compare(&case);
        if !diffs.is_empty() {
            let shown: Vec<&String> = diffs.iter().take(15).collect();
            failures.push(format!(
                "{}: {} difference(s):\n  {}",
                case.describe(),
                diffs.len(),
                shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  ")
            ));
        }
    }
    failures
}

/// Runs `compare` on every platform and panics with every difference.
pub fn assert_matches_on_all_platforms(dir: &Path, patterns: &[String], vars: &[(String, String)]) {
    let failures = differences_on_all_platforms(dir, patterns, vars);
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

/// The workspace root (where tests/fixtures lives).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// A real program from the Go module proxy at a pinned version, copied to a
/// writable directory under the corpus cache (`HEFT_CORPUS_DIR`, default
/// target/heft-corpus) so it is a main module as in its own repository.
/// Its dependencies are fetched by the oracle's own `go list`.
pub fn real_module(module: &str, version: &str) -> PathBuf {
    let cache = std::env::var_os("HEFT_CORPUS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/heft-corpus"));
    let dest = cache.join(format!("{}@{version}", module.replace('/', "_")));
    if dest.join("go.mod").is_file() {
        return dest;
    }
    std::fs::create_dir_all(&cache).expect("corpus dir");
    let out = Command::new("go")
        .args(["mod", "download", "-json", &format!("{module}@{version}")])
        .current_dir(&cache)
        .env("GOFLAGS", "-mod=mod")
        .output()
        .expect("go mod download");
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Download {
        dir: Option<String>,
        error: Option<String>,
    }
    let dl: Download = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("go mod download {module}@{version}: {e}: {}", String::from_utf8_lossy(&out.stderr))
    });
    let src = dl.dir.unwrap_or_else(|| panic!("go mod download {module}@{version}: {:?}", dl.error));
    let tmp = cache.join(format!(".tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let status = Command::new("cp").arg("-R").arg(&src).arg(&tmp).status().expect("cp");
    assert!(status.success(), "copying {src}");
    let status = Command::new("chmod").args(["-R", "u+w"]).arg(&tmp).status().expect("chmod");
    assert!(status.success());
    std::fs::rename(&tmp, &dest).expect("rename corpus copy");
    dest
}
