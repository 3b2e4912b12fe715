//! heft's package graph equals `go list -e -deps -json` on the fixtures in
//! tests/fixtures, each written to exercise one family of the go command's
//! loading rules (see tests/fixtures/README.md).

use heft_testkit::oracle::{Case, assert_matches_on_all_platforms, compare, differences_on_all_platforms};
use heft_testkit::{Platform, require_go, toolchain, workspace_root};

/// Reads a fixture's `heft-oracle` file: one case per line, leading
/// `NAME=VALUE` words are environment, the rest patterns.
/// Environment assignments and patterns of one case.
type OracleCase = (Vec<(String, String)>, Vec<String>);

fn cases(fixture: &str) -> Vec<OracleCase> {
    let file = workspace_root().join("tests/fixtures").join(fixture).join("heft-oracle");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut vars = Vec::new();
            let mut patterns = Vec::new();
            for word in line.split_whitespace() {
                match word.split_once('=') {
                    Some((k, v))
                        if patterns.is_empty()
                            && k.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_') =>
                    {
                        vars.push((k.to_string(), v.to_string()))
                    }
                    _ => patterns.push(word.to_string()),
                }
            }
            (vars, patterns)
        })
        .collect()
}

fn check(fixture: &str) {
    require_go();
    let dir = workspace_root().join("tests/fixtures").join(fixture);
    let failures: Vec<String> = cases(fixture)
        .into_iter()
        .flat_map(|(vars, patterns)| differences_on_all_platforms(&dir, &patterns, &vars))
        .collect();
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

macro_rules! fixtures {
    ($($name:ident => $dir:literal),* $(,)?) => { $( #[test] fn $name() { check($dir); } )* };
}

fixtures!(
    buildtags => "buildtags",
    cgo => "cgo",
    replace => "replace",
    workspace => "workspace",
    workspace_split => "workspace-split",
    vendor => "vendor",
    internal => "internal",
    errors => "errors",
    stdvendor => "stdvendor",
    cmdfiles => "cmdfiles",
    dotless => "dotless",
    dotless_work => "dotless-work",
    mvs_unpruned => "mvs/unpruned", mvs_pruned => "mvs/pruned", mvs_workspace => "mvs/workspace",
);

#[test]
fn bundled_example() {
    require_go();
    let dir = workspace_root().join("examples/busybox");
    assert_matches_on_all_platforms(&dir, &["./...".to_string()], &[]);
}

/// Older Go releases select files by their own experiment baselines and
/// release tags: the bundled example under go1.20, 1.22, 1.24 and 1.25
/// (fetched by the go command as `golang.org/toolchain` modules).
#[test]
fn older_toolchains() {
    require_go();
    let dir = workspace_root().join("examples/busybox");
    let mut failures = Vec::new();
    for version in ["1.20.14", "1.22.12", "1.24.13", "1.25.0"] {
        let case = Case {
            dir: dir.clone(),
            patterns: vec!["./...".into()],
            vars: vec![("GOTOOLCHAIN".into(), toolchain::older(version))],
            platform: Platform::LINUX_AMD64,
            // go1.20 has no math/rand/v2, which the example imports: both
            // sides report that error.
            complete: false,
        };
        let want = case.go_list();
        assert!(want.len() > 150, "go{version}: go list gave {} packages", want.len());
        failures.extend(compare(&case).into_iter().map(|d| format!("go{version}: {d}")));
    }
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

/// GOFLAGS that change the package graph: the sanitizers' runtimes and
/// runtime/coverage, linked into every program, as `go list -deps` lists
/// them (linux/amd64 with cgo, where all are supported).
#[test]
fn instrumented_builds() {
    require_go();
    let dir = workspace_root().join("examples/busybox");
    let failures: Vec<String> = ["-race", "-msan", "-asan", "-cover", "-race -cover", "-covermode=count"]
        .iter()
        .flat_map(|flags| {
            let case = Case {
                dir: dir.clone(),
                patterns: vec!["./...".to_string()],
                vars: vec![("GOFLAGS".to_string(), flags.to_string())],
                platform: Platform::LINUX_AMD64,
                complete: false,
            };
            compare(&case).into_iter().map(move |d| format!("GOFLAGS={flags}: {d}"))
        })
        .collect();
    assert!(failures.is_empty(), "heft disagrees with go list:\n{}", failures.join("\n"));
}

/// What the go command refuses, heft refuses with its words.
#[test]
fn instrumented_builds_refused_as_go_refuses_them() {
    require_go();
    let dir = workspace_root().join("examples/busybox");
    let env = |goflags: &str, goarch: &str, cgo: bool| {
        let overrides = heft_load::EnvOverrides {
            goarch: Some(goarch.to_string()),
            cgo_enabled: Some(cgo),
            vars: vec![("GOFLAGS".to_string(), goflags.to_string()), ("GOOS".to_string(), "linux".to_string())],
            ..Default::default()
        };
        heft_load::GoEnv::from_go_command(&dir, &overrides, None).map(|e| e.linker_deps())
    };
    let refused = |goflags: &str, goarch: &str, cgo: bool, message: &str| {
        let err = env(goflags, goarch, cgo).expect_err(goflags).to_string();
        assert!(err.contains(message), "GOFLAGS={goflags} GOARCH={goarch}: {err}");
    };
    refused("-race -msan", "amd64", true, "may not use -race and -msan simultaneously");
    refused("-race", "386", true, "-race is not supported on linux/386");
    refused("-msan", "amd64", false, "-msan requires cgo; enable cgo by setting CGO_ENABLED=1");
    refused("-race=maybe", "amd64", true, "invalid boolean value");
    refused("-covermode=often", "amd64", true, "valid modes are set, count, atomic");
    refused("-coverpkg=./...", "amd64", true, "not modeled by heft");
    assert_eq!(env("-race=false -cover", "amd64", true).unwrap(), ["runtime/coverage"]);
    assert_eq!(env("-asan -covermode=atomic", "amd64", true).unwrap(), ["runtime/asan", "runtime/coverage"]);
}
