//! `heft gc` on a Go program written here, whose live heap is known: 64 MiB
//! in 1 KiB objects, kept while it allocates garbage at a steady rate. Also
//! the failures (no such command, a program that never collects) and the
//! promise that nothing heft started outlives it.
//!
//! A test binary of its own, its tests one at a time: what they measure
//! (the live heap after each collection) grows with the CPU other tests
//! take from the program while it marks, so nothing runs beside them.

#[allow(dead_code)]
#[path = "cli/env.rs"]
mod env;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use heft_testkit::go::{go, run};
use heft_testkit::{scratch, scratch_with};
use serde_json::Value;

use crate::env::heft_command;

/// `prog steady LIVE_MIB SECONDS RATE_MIB_PER_S`: keeps LIVE MiB live and
/// allocates RATE MiB/s of garbage for SECONDS. `prog quick`: exits at once.
/// `prog forker PIDFILE`: starts a shell that ignores SIGTERM and sleeps,
/// writes `its-pid child-pid` to PIDFILE, and churns garbage until killed.
const PROGRAM: &str = r#"package main

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"time"
)

var keep [][]byte
var sink []byte

func num(i int) float64 {
	v, err := strconv.ParseFloat(os.Args[i], 64)
	if err != nil {
		panic(err)
	}
	return v
}

func steady(live, seconds, rate float64) {
	keep = make([][]byte, int(live*1024))
	for i := range keep {
		keep[i] = make([]byte, 1024)
		keep[i][0] = byte(i) // resident, not only reserved
	}
	start := time.Now()
	var allocated float64 // MiB
	for time.Since(start).Seconds() < seconds {
		for i := 0; i < 1024; i++ {
			sink = make([]byte, 1024)
		}
		allocated++
		if ahead := allocated/rate - time.Since(start).Seconds(); ahead > 0 {
			time.Sleep(time.Duration(ahead * float64(time.Second)))
		}
	}
}

func main() {
	switch os.Args[1] {
	case "steady":
		steady(num(2), num(3), num(4))
	case "quick":
	case "forker":
		child := exec.Command("sh", "-c", "trap '' TERM; exec sleep 300")
		if err := child.Start(); err != nil {
			panic(err)
		}
		pids := fmt.Sprintf("%d %d\n", os.Getpid(), child.Process.Pid)
		if err := os.WriteFile(os.Args[2], []byte(pids), 0o644); err != nil {
			panic(err)
		}
		steady(16, 3600, 64)
	}
}
"#;

/// The program, built once for every test of this module.
fn program() -> &'static Path {
    static BUILT: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, exe) = BUILT.get_or_init(|| {
        let dir =
            scratch_with("gc-program", &[("go.mod", "module example.com/gcprog\n\ngo 1.22\n"), ("main.go", PROGRAM)]);
        let exe = dir.path().join("gcprog");
        run(go(["build", "-o", exe.to_str().unwrap(), "."]).current_dir(dir.path()).env("GOFLAGS", ""));
        (dir, exe)
    });
    exe
}

fn heft_gc(args: &[&str]) -> std::process::Output {
    heft_command().arg("gc").args(args).output().expect("run heft gc")
}

fn json_of(out: &std::process::Output) -> Value {
    assert!(out.status.success(), "heft gc failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("heft gc --json prints JSON")
}

/// Held by every test: they run one at a time.
fn alone() -> MutexGuard<'static, ()> {
    static ONE: Mutex<()> = Mutex::new(());
    ONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn within(value: f64, truth: f64, share: f64) -> bool {
    (value - truth).abs() <= truth * share
}

#[test]
fn the_natural_heap_is_the_live_heap_the_program_keeps() {
    let _alone = alone();
    let exe = program().to_str().unwrap();
    let doc = json_of(&heft_gc(&["--json", "--", exe, "steady", "64", "3", "256"]));
    assert_eq!(doc["version"], 2);
    let r = &doc["runs"][0];
    let median = r["naturalHeapMedianMib"].as_f64().unwrap();
    let peak = r["naturalHeapPeakMib"].as_f64().unwrap();
    assert!(within(median, 64.0, 0.10), "median natural heap {median} MiB, kept 64 MiB: {r}");
    assert!(within(peak, 64.0, 0.10), "peak natural heap {peak} MiB, kept 64 MiB: {r}");
    assert!(r["gcs"].as_u64().unwrap() >= 5, "{r}");
    assert!(r["gcPerMinute"].as_f64().unwrap() > 0.0);
    assert_eq!(r["ended"]["how"], "exited");
    // The heap reaches about twice the live heap under GOGC=100.
    let rss = r["peakRssBytes"].as_f64().unwrap() / (1 << 20) as f64;
    assert!(rss > 64.0, "peak RSS {rss} MiB");
    let advice = &doc["advice"];
    let [lo, hi] = [0, 1].map(|i| advice["gomemlimitMib"][i].as_f64().unwrap());
    assert_eq!((lo, hi), ((peak * 1.3).ceil(), (peak * 1.5).ceil()));
    assert!(advice["containerMib"].as_u64().unwrap() >= hi as u64);
}

#[test]
fn a_sweep_shows_gc_per_minute_falling_as_the_limit_rises() {
    let _alone = alone();
    let exe = program().to_str().unwrap();
    let out = heft_gc(&["--json", "--sweep", "160MiB,80MiB,112MiB", "--", exe, "steady", "64", "2", "256"]);
    let doc = json_of(&out);
    let runs = doc["runs"].as_array().unwrap();
    let limits: Vec<&str> = runs.iter().map(|r| r["gomemlimit"].as_str().unwrap()).collect();
    assert_eq!(limits, ["80MiB", "112MiB", "160MiB"], "smallest limit first");
    assert!(runs.iter().all(|r| r["gogc"] == "off"), "a sweep runs with GOGC=off");
    let rates: Vec<f64> = runs.iter().map(|r| r["gcPerMinute"].as_f64().unwrap()).collect();
    assert!(rates.windows(2).all(|w| w[0] > w[1]), "GC/min falls as the limit rises: {rates:?}");
    let sweep = &doc["sweep"];
    assert_eq!(sweep["gogc"], "off");
    let spot = sweep["sweetSpot"].as_str().expect("a sweet spot");
    let i = limits.iter().position(|l| *l == spot).unwrap();
    assert!(rates[i] <= 2.0 * rates[2], "the rule: {rates:?}, sweet spot {spot}");
    assert!(i == 0 || rates[i - 1] > 2.0 * rates[2], "the smallest such limit: {rates:?}, sweet spot {spot}");
    assert_eq!(sweep["belowNaturalHeap"].as_array().unwrap().len(), 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[1/3] GOMEMLIMIT=80MiB GOGC=off"), "{stderr}");
}

#[test]
fn a_command_that_does_not_exist_is_named() {
    let _alone = alone();
    let out = heft_gc(&["--", "/nonexistent/server"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/nonexistent/server: command not found (no such file)"), "{stderr}");

    let out = heft_gc(&["--", "heft-no-such-command"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "heft-no-such-command: command not found (no executable of that name in the directories of PATH="
        ),
        "{stderr}"
    );
}

#[test]
fn a_program_that_never_collects_garbage_is_told_to_work() {
    let _alone = alone();
    let exe = program().to_str().unwrap();
    for cmd in [&[exe, "quick"][..], &["true"][..]] {
        let out = heft_gc(&[&["--"][..], cmd].concat());
        assert_eq!(out.status.code(), Some(1), "{cmd:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("never collected garbage: heft gc needs the program's real workload: use --for"),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bad_sizes_and_durations_are_refused() {
    let _alone = alone();
    let out = heft_gc(&["--sweep", "160M", "--", "true"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("B, KiB, MiB, GiB or TiB"));
    let out = heft_gc(&["--for", "30", "--", "true"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a duration is a number and a unit"));
}

/// The processes of a process group that are still alive (not zombies).
fn alive_in_group(group: u32) -> Vec<String> {
    let mut alive = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else { continue };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so read after the last ')'.
        let Some((_, rest)) = stat.rsplit_once(") ") else { continue };
        let f: Vec<&str> = rest.split(' ').collect();
        if f.len() > 2 && f[2] == group.to_string() && f[0] != "Z" {
            alive.push(stat.trim().to_string());
        }
    }
    alive
}

fn assert_group_gone(pids: &str) {
    let group: u32 = pids.split_whitespace().next().unwrap().parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let alive = alive_in_group(group);
        if alive.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "left behind in group {group}: {alive:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn read_pids(file: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(s) = std::fs::read_to_string(file)
            && s.ends_with('\n')
        {
            return s;
        }
        assert!(Instant::now() < deadline, "the program never wrote {}", file.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn for_stops_the_whole_group_and_leaves_nothing_behind() {
    let _alone = alone();
    let exe = program().to_str().unwrap();
    let work = scratch("gc-for");
    let tmp = work.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let pidfile = work.path().join("pids");
    let start = Instant::now();
    let out = heft_command()
        .env("TMPDIR", &tmp)
        .args(["gc", "--for", "1s", "--", exe, "forker", pidfile.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "--for is a normal end: {stderr}");
    assert!(start.elapsed() < Duration::from_secs(20));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("was stopped after 1."), "{stdout}");
    assert_group_gone(&read_pids(&pidfile));
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0, "no temporary files left");
}

#[test]
fn ctrl_c_kills_the_group_and_fails() {
    let _alone = alone();
    let exe = program().to_str().unwrap();
    let work = scratch("gc-int");
    let pidfile = work.path().join("pids");
    let mut heft = heft_command()
        .args(["gc", "--", exe, "forker", pidfile.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pids = read_pids(&pidfile);
    let status = Command::new("kill").args(["-INT", &heft.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let code = loop {
        if let Some(s) = heft.try_wait().unwrap() {
            break s.code();
        }
        if Instant::now() > deadline {
            let _ = heft.kill();
            panic!("heft gc did not exit on SIGINT");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(130), "128 + SIGINT");
    assert_group_gone(&pids);
}

/// The live processes whose command line holds `needle`.
fn alive_with_arg(needle: &str) -> Vec<String> {
    let mut alive = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(cmdline) = std::fs::read(e.path().join("cmdline")) else { continue };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else { continue };
        let zombie = stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('Z'));
        if !zombie && String::from_utf8_lossy(&cmdline).contains(needle) {
            alive.push(stat.trim().to_string());
        }
    }
    alive
}

/// A daemon-like child that leaves the process group with setsid(1) is
/// killed too, on a normal end and on a timeout.
#[test]
fn a_child_that_leaves_the_group_is_killed_too() {
    let _alone = alone();
    for (i, args) in [["--for", "1s"], ["--timeout", "1s"]].iter().enumerate() {
        let secs = format!("{}", 31_000 + std::process::id() % 1000 * 2 + i as u32);
        let script = format!("setsid -f sleep {secs}; while :; do sleep 1; done");
        let out = heft_command().args(["gc"]).args(*args).args(["--", "sh", "-c", &script]).output().unwrap();
        assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let alive = alive_with_arg(&format!("sleep\0{secs}"));
            if alive.is_empty() {
                break;
            }
            assert!(Instant::now() < deadline, "{args:?}: the setsid child outlived heft gc: {alive:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
