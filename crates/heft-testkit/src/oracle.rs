//! The oracle: `go list -e -deps -json` on the same patterns and settings,
//! compared with heft's loader package by package.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use heft_load::{EnvOverrides, GoEnv, LoadConfig, Program};
use serde::Deserialize;

use crate::corpus::{Platform, RealProgram, assert_complete};
use crate::go::go;
use crate::scratch::target_tmpdir;

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

/// One oracle case: where, which patterns, which environment.
#[derive(Clone, Debug)]
pub struct Case {
    pub dir: PathBuf,
    pub patterns: Vec<String>,
    pub vars: Vec<(String, String)>,
    pub platform: Platform,
    /// A whole real program: any package error, go's or heft's, is a
    /// difference (a partial graph proves nothing).
    pub complete: bool,
}

impl Case {
    /// `pattern` in `dir` (a real program laid out by
    /// [`RealProgram::prepare`], or the bundled example), which must load
    /// whole; workspaces off, as a release archive's go.work names modules
    /// it does not ship.
    pub fn whole(dir: &Path, pattern: &str, platform: Platform) -> Case {
        Case {
            dir: dir.to_path_buf(),
            patterns: vec![pattern.to_string()],
            vars: vec![("GOWORK".to_string(), crate::corpus::WORKSPACE.to_string())],
            platform,
            complete: true,
        }
    }

    pub fn describe(&self) -> String {
        let vars: Vec<String> = self.vars.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{} [{} {}] {}", self.dir.display(), self.platform, vars.join(" "), self.patterns.join(" "))
    }

    /// Runs `go list -e -deps -json`.
    pub fn go_list(&self) -> Vec<GoPackage> {
        let out = go(["list", "-e", "-deps", "-json"])
            .args(&self.patterns)
            .current_dir(&self.dir)
            .envs(self.platform.env())
            .envs(self.vars.iter().map(|(k, v)| (k, v)))
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
            goos: Some(self.platform.goos.to_string()),
            goarch: Some(self.platform.goarch.to_string()),
            cgo_enabled: Some(self.platform.cgo),
            tags: Vec::new(),
            vars: self.vars.clone(),
        };
        let env = GoEnv::from_go_command(&self.dir, &overrides, index_dir.as_deref())?;
        heft_load::load(&LoadConfig { dir: self.dir.clone(), patterns: self.patterns.clone(), env, index_dir })
    }
}

/// The persistent index directory the tests share.
pub fn test_index_dir() -> PathBuf {
    target_tmpdir().join("heft-test-index")
}

/// Compares heft with the oracle, reading every file and then twice with
/// the persistent index (the second run reads from it); returns the
/// differences found (empty when they agree).
pub fn compare(case: &Case) -> Vec<String> {
    let want = case.go_list();
    let mut diffs = Vec::new();
    if case.complete {
        diffs
            .extend(want.iter().filter_map(|p| Some(format!("go list: {}: {}", p.import_path, p.error.as_ref()?.err))));
    }
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
    if case.complete {
        let errors = prog.packages.iter().flat_map(|p| p.errors.iter().map(move |e| format!("heft: {}: {e}", p.path)));
        diffs.extend(errors);
    }
    let want_map: BTreeMap<&str, &GoPackage> = want.iter().map(|p| (p.import_path.as_str(), p)).collect();
    let got_paths: BTreeSet<&str> = prog.packages.iter().map(|p| p.path.as_str()).collect();
    let want_paths: BTreeSet<&str> = want_map.keys().copied().collect();
    for p in want_paths.difference(&got_paths) {
        diffs.push(format!("missing package {p} (go list: {:?})", want_map[p].error.as_ref().map(|e| &e.err)));
    }
    for p in got_paths.difference(&want_paths) {
        diffs.push(format!("extra package {p}"));
    }
    // `heft deps` prints go list's order, line for line.
    let want_order: Vec<&str> = want.iter().map(|p| p.import_path.as_str()).collect();
    let got_order: Vec<&str> = prog.deps_order().iter().map(|&id| prog.package(id).path.as_str()).collect();
    if want_paths == got_paths
        && let Some(at) = want_order.iter().zip(&got_order).position(|(w, g)| w != g)
    {
        diffs.push(format!("order differs at line {}: go list {}, heft {}", at + 1, want_order[at], got_order[at]));
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

/// Runs `compare` on every oracle platform; one message per disagreeing
/// platform.
pub fn differences_on_all_platforms(dir: &Path, patterns: &[String], vars: &[(String, String)]) -> Vec<String> {
    let cases = Platform::ORACLE.iter().map(|&platform| Case {
        dir: dir.to_path_buf(),
        patterns: patterns.to_vec(),
        vars: vars.to_vec(),
        platform,
        complete: false,
    });
    cases.filter_map(|case| describe_differences(&case, &compare(&case))).collect()
}

/// Runs `compare` on every oracle platform and panics with every difference.
pub fn assert_matches_on_all_platforms(dir: &Path, patterns: &[String], vars: &[(String, String)]) {
    let failures = differences_on_all_platforms(dir, patterns, vars);
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

/// A real program's `pattern` on every oracle platform, each with its whole
/// build list downloaded first: heft equals go list, and neither has a
/// package error.
pub fn assert_real_program_matches(program: RealProgram, pattern: &str) {
    let dir = program.prepare(pattern, Platform::ORACLE);
    let cases = Platform::ORACLE.iter().map(|&platform| Case::whole(&dir, pattern, platform));
    let failures: Vec<String> = cases.filter_map(|case| describe_differences(&case, &compare(&case))).collect();
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

/// A real program's `pattern` on `platform` as heft loads it, after its
/// build list is downloaded; panics on any package error.
pub fn load_real_program(program: RealProgram, pattern: &str, platform: Platform) -> (PathBuf, Program) {
    let dir = program.prepare(pattern, &[platform]);
    let case = Case::whole(&dir, pattern, platform);
    let prog = case.heft().unwrap_or_else(|e| panic!("{}: {e}", case.describe()));
    assert_complete(&prog, &case.describe());
    (dir, prog)
}

fn describe_differences(case: &Case, diffs: &[String]) -> Option<String> {
    if diffs.is_empty() {
        return None;
    }
    let shown: Vec<&str> = diffs.iter().take(15).map(String::as_str).collect();
    Some(format!("{}: {} difference(s):\n  {}", case.describe(), diffs.len(), shown.join("\n  ")))
}
