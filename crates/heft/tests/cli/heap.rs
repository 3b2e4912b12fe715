//! `heft heap` on the real thing: a program with 48 package-level loggers
//! of go.uber.org/zap (pinned, from the module proxy) with sampling on —
//! each logger's sampler allocates a `[7][4096]counter` array — profiled
//! with every allocation sampled. Oracles: `go tool pprof` for the totals
//! and the allocating function, the program's own source for the call
//! sites, `go list -deps` (through heft's loader, complete) for the chain.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use heft_testkit::go::run;
use heft_testkit::{go, scratch};
use serde_json::Value;

use crate::env::heft_command;

const ZAP: &str = "go.uber.org/zap@v1.27.0";
const LOGGERS: usize = 48;

const LOGGING: &str = r#"// Package logging hands out one logger per module.
package logging

import "go.uber.org/zap"

// LoggerForModule returns a production logger (sampling on) named after a module.
func LoggerForModule(name string) *zap.Logger {
	l, err := zap.NewProduction()
	if err != nil {
		panic(err)
	}
	return l.Named(name)
}
"#;

/// The fix: the same loggers without the sampler.
const LOGGING_UNSAMPLED: &str = r#"// Package logging hands out one logger per module.
package logging

import "go.uber.org/zap"

// LoggerForModule returns a production logger without sampling.
func LoggerForModule(name string) *zap.Logger {
	cfg := zap.NewProductionConfig()
	cfg.Sampling = nil
	l, err := cfg.Build()
	if err != nil {
		panic(err)
	}
	return l.Named(name)
}
"#;

/// Writes a heap profile (or, with a second argument, a CPU or goroutine
/// profile) after a collection.
fn main_go() -> String {
    let mut s = String::from("package main\n\nimport (\n\t\"os\"\n\t\"runtime\"\n\t\"runtime/pprof\"\n\t\"time\"\n");
    for i in 0..LOGGERS {
        s += &format!("\t\"example.com/loggers/mod/m{i:02}\"\n");
    }
    s += ")\n\nfunc main() {\n\tnames := []string{\n";
    for i in 0..LOGGERS {
        s += &format!("\t\tm{i:02}.Name(),\n");
    }
    s += r#"	}
	_ = names
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	defer f.Close()
	switch {
	case len(os.Args) > 2 && os.Args[2] == "cpu":
		pprof.StartCPUProfile(f)
		for end := time.Now().Add(50 * time.Millisecond); time.Now().Before(end); {
		}
		pprof.StopCPUProfile()
	case len(os.Args) > 2:
		pprof.Lookup(os.Args[2]).WriteTo(f, 0)
	default:
		runtime.GC()
		if err := pprof.WriteHeapProfile(f); err != nil {
			panic(err)
		}
	}
}
"#;
    s
}

struct Loggers {
    dir: PathBuf,
    /// Profiles by name: heap, unsampled (after the fix), cpu, goroutine.
    profiles: PathBuf,
}

/// The program laid out, built twice (with and without sampling) and run.
fn loggers() -> &'static Loggers {
    static L: OnceLock<Loggers> = OnceLock::new();
    L.get_or_init(|| {
        let tmp = scratch("heap-loggers");
        let dir = tmp.keep().join("loggers");
        let profiles = dir.join("profiles");
        std::fs::create_dir_all(dir.join("internal/logging")).unwrap();
        std::fs::create_dir_all(&profiles).unwrap();
        std::fs::write(dir.join("go.mod"), "module example.com/loggers\n\ngo 1.22\n").unwrap();
        std::fs::write(dir.join("internal/logging/logging.go"), LOGGING).unwrap();
        for i in 0..LOGGERS {
            let d = dir.join(format!("mod/m{i:02}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(
                d.join("m.go"),
                format!(
                    "package m{i:02}\n\nimport \"example.com/loggers/internal/logging\"\n\nvar log = logging.LoggerForModule(\"m{i:02}\")\n\n// Name is used by main.\nfunc Name() string {{ return log.Name() }}\n"
                ),
            )
            .unwrap();
        }
        std::fs::write(dir.join("main.go"), main_go()).unwrap();
        let gocmd = |args: &[&str]| {
            let mut c = go(args);
            c.current_dir(&dir).env("GOWORK", "off").env("GOFLAGS", "-mod=mod");
            c
        };
        run(&mut gocmd(&["get", ZAP]));
        let build_and_run = |name: &str, kinds: &[&str]| {
            run(&mut gocmd(&["build", "-o", name, "."]));
            for kind in kinds {
                let out = profiles.join(format!("{}.pb.gz", if *kind == "heap" { name } else { kind }));
                let mut cmd = std::process::Command::new(dir.join(name));
                cmd.arg(&out).env("GODEBUG", "memprofilerate=1").current_dir(&dir);
                if *kind != "heap" {
                    cmd.arg(kind);
                }
                run(&mut cmd);
            }
        };
        build_and_run("heap", &["heap", "cpu", "goroutine"]);
        std::fs::write(dir.join("internal/logging/logging.go"), LOGGING_UNSAMPLED).unwrap();
        build_and_run("unsampled", &["heap"]);
        std::fs::write(dir.join("internal/logging/logging.go"), LOGGING).unwrap();
        Loggers { dir, profiles }
    })
}

fn heft_in(dir: &Path, args: &[&str]) -> std::process::Output {
    heft_command().current_dir(dir).env("GOFLAGS", "-mod=mod").args(args).output().unwrap()
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = heft_in(dir, args);
    assert!(out.status.success(), "heft {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `go tool pprof -top` in bytes: the total and each function's flat bytes.
fn pprof_top(profile: &Path) -> (u64, Vec<(String, u64)>) {
    let out =
        run(go(["tool", "pprof", "-top", "-nodecount=1000000", "-sample_index=inuse_space", "-unit=B"]).arg(profile));
    let text = String::from_utf8(out.stdout).unwrap();
    let total = text
        .lines()
        .find_map(|l| l.split(" of ").nth(1)?.strip_suffix("B total")?.parse().ok())
        .unwrap_or_else(|| panic!("no total in pprof's output:\n{text}"));
    let flat = text
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let bytes = cols.first()?.strip_suffix('B')?.parse().ok()?;
            Some((cols.get(5)?.to_string(), bytes))
        })
        .collect();
    (total, flat)
}

#[test]
fn heap_groups_the_package_level_loggers_under_their_constructor() {
    let l = loggers();
    let profile = l.profiles.join("heap.pb.gz");
    let doc = json(&l.dir, &["heap", "--json", profile.to_str().unwrap(), "."]);
    let (total, flat) = pprof_top(&profile);
    assert_eq!(doc["totalBytes"].as_u64(), Some(total), "the total is pprof's");

    let counters =
        flat.iter().find(|(f, _)| f == "go.uber.org/zap/zapcore.newCounters").expect("pprof sees newCounters").1;
    // 48 samplers of 7×4096 16-byte counters.
    assert!(counters >= (LOGGERS * 7 * 4096 * 16) as u64, "{counters}");
    let top = &doc["byAllocator"][0];
    assert_eq!(top["package"], "go.uber.org/zap/zapcore");
    assert!(top["bytes"].as_u64().unwrap() >= counters);

    let group = &doc["constructors"][0];
    assert_eq!(group["constructor"], "example.com/loggers/internal/logging.LoggerForModule");
    assert_eq!(group["allocator"], "go.uber.org/zap/zapcore.newCounters");
    assert_eq!(group["bytes"].as_u64(), Some(counters), "the group is everything newCounters holds");
    assert_eq!(group["packageLevel"], true);
    let sites = group["sites"].as_array().unwrap();
    assert_eq!(sites.len(), LOGGERS, "one call site per package-level logger");
    for s in sites {
        let file = s["file"].as_str().unwrap();
        assert!(file.ends_with("/m.go") && file.contains("/mod/m"), "{s}");
        assert_eq!(s["line"], 5, "the `var log = ...` line: {s}");
        assert!(s["function"].as_str().unwrap().ends_with(".init"), "{s}");
    }

    // With the root: how zapcore is linked, and the one import to cut.
    assert_eq!(doc["root"], "example.com/loggers");
    let chain: Vec<&str> = top["chain"].as_array().unwrap().iter().map(|h| h["package"].as_str().unwrap()).collect();
    assert_eq!(chain.first(), Some(&"example.com/loggers"));
    assert_eq!(
        &chain[chain.len() - 3..],
        ["example.com/loggers/internal/logging", "go.uber.org/zap", "go.uber.org/zap/zapcore"]
    );
    let cut = &top["cut"]["imports"];
    assert_eq!(cut.as_array().unwrap().len(), 1, "{cut}");
    assert_eq!(cut[0]["from"], "example.com/loggers/internal/logging");
    assert_eq!(cut[0]["to"], "go.uber.org/zap");
    assert_eq!(cut[0]["at"]["file"], "internal/logging/logging.go");

    // What a user reads: the constructor with its call sites, in one screen.
    let out = heft_in(&l.dir, &["heap", profile.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("{LOGGERS} package-level calls of `logging.LoggerForModule` → `zap.NewProduction`")),
        "{text}"
    );
    assert!(text.contains("in `zapcore.newCounters`"), "{text}");
    assert!(text.lines().count() < 80, "fits a screen or two by default:\n{text}");
}

#[test]
fn heap_diff_shows_what_the_fix_freed() {
    let l = loggers();
    let (old, new) = (l.profiles.join("heap.pb.gz"), l.profiles.join("unsampled.pb.gz"));
    let doc = json(&l.dir, &["heap", "--json", old.to_str().unwrap(), new.to_str().unwrap()]);
    let zapcore = doc["byAllocator"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["package"] == "go.uber.org/zap/zapcore")
        .expect("zapcore changed");
    assert!(zapcore["oldBytes"].as_u64().unwrap() > (LOGGERS * 7 * 4096 * 16) as u64);
    assert!(zapcore["newBytes"].as_u64().unwrap() < 1_000_000, "{zapcore}");
    assert_eq!(doc["byAllocator"][0]["package"], "go.uber.org/zap/zapcore", "the largest change first");
    let (old_total, _) = pprof_top(&old);
    let (new_total, _) = pprof_top(&new);
    assert_eq!((doc["oldBytes"].as_u64(), doc["newBytes"].as_u64()), (Some(old_total), Some(new_total)));
}

#[test]
fn heap_refuses_what_is_not_this_programs_heap_profile() {
    let l = loggers();
    let p = |name: &str| l.profiles.join(name).to_str().unwrap().to_string();
    let fails = |args: &[&str], expect: &str| {
        let out = heft_in(&l.dir, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "heft {args:?} succeeded");
        assert!(err.contains(expect), "heft {args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    fails(&["heap", &p("cpu.pb.gz")], "is a CPU profile");
    fails(&["heap", &p("goroutine.pb.gz")], "is a goroutine profile");

    let data = std::fs::read(p("heap.pb.gz")).unwrap();
    let truncated = l.profiles.join("truncated.pb.gz");
    std::fs::write(&truncated, &data[..data.len() / 2]).unwrap();
    fails(&["heap", truncated.to_str().unwrap()], "truncated or corrupted");

    // A profile with no samples, as pprof writes one for a focus that
    // matches nothing: a program that allocated nothing.
    let empty = run(go(["tool", "pprof", "-proto", "-focus=^nothing_matches_this$"]).arg(p("heap.pb.gz")));
    let empty_path = l.profiles.join("empty.pb.gz");
    std::fs::write(&empty_path, empty.stdout).unwrap();
    fails(&["heap", empty_path.to_str().unwrap()], "holds no in-use bytes");

    // The bundled example's agent does not link zap.
    let example = crate::env::example();
    let out = heft_command().current_dir(&example).args(["heap", &p("heap.pb.gz"), "./cmd/agent"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(err.contains("does not come from example.com/busybox/cmd/agent's binary"), "{err}");
    assert!(err.contains("example.com/loggers/internal/logging"), "names the foreign packages: {err}");

    fails(&["heap", "no-such-file.pb.gz"], "no such profile file");
}
