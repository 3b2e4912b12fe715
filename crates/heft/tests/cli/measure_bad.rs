//! `heft measure` on programs that fail, hang or are not Go, and the check
//! that small init allocations are all recorded. Each case writes a tiny
//! throwaway Go module to a temporary directory (nothing in the repository).

use std::fs;
use std::time::{Duration, Instant};

use heft_measure::{MeasureError, Options};
use heft_testkit::go::run;
use heft_testkit::{go, scratch_with};
use tempfile::TempDir;

/// A module `example.com/t` with the given files (path, contents).
fn module(files: &[(&str, &str)]) -> TempDir {
    let go_mod = [("go.mod", "module example.com/t\n\ngo 1.22\n")];
    scratch_with("measure-bad", &[&go_mod[..], files].concat())
}

fn measure(t: &TempDir, timeout: Duration) -> Result<Vec<heft_measure::BinaryMeasure>, MeasureError> {
    let opts = Options { dir: t.path().to_path_buf(), timeout, ..Options::default() };
    let mains = heft_measure::main_packages(&opts, &[".".to_string()])?;
    heft_measure::measure_main(&opts, &mains[0])
}

const MAIN: &str = "package main\n\nimport _ \"example.com/t/p\"\n\nfunc main() {}\n";

#[test]
fn panicking_init_names_the_package() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n\nfunc init() { panic(\"boom in p\") }\n")]);
    let e = measure(&t, Duration::from_secs(60)).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, MeasureError::InitFailed { .. }), "{msg}");
    assert!(msg.contains("panicked during the init of example.com/t/p"), "{msg}");
    assert!(msg.contains("boom in p"), "the program's output is shown: {msg}");
}

#[test]
fn exiting_init_says_where() {
    let t = module(&[
        ("main.go", MAIN),
        ("p/p.go", "package p\n\nimport \"os\"\n\nfunc init() { println(\"need config\"); os.Exit(3) }\n"),
    ]);
    let msg = measure(&t, Duration::from_secs(60)).unwrap_err().to_string();
    assert!(msg.contains("exited with status 3"), "{msg}");
    assert!(msg.contains("need config"), "{msg}");
    // os.Exit leaves no traceback: heft names the last package inittrace saw.
    assert!(msg.contains("initialized after"), "{msg}");
}

#[test]
fn hanging_init_is_killed_and_named() {
    let t = module(&[
        ("main.go", MAIN),
        ("p/p.go", "package p\n\nimport \"time\"\n\nfunc init() { for { time.Sleep(time.Second) } }\n"),
    ]);
    let start = Instant::now();
    let e = measure(&t, Duration::from_secs(2)).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, MeasureError::Timeout { .. }), "{msg}");
    assert!(msg.contains("killed; initializing: example.com/t/p"), "{msg}");
    assert!(start.elapsed() < Duration::from_secs(50), "build + 2 s timeout + 2 s grace");
}

#[test]
fn build_failure_shows_go_error() {
    let t = module(&[("main.go", "package main\n\nfunc main() { undefinedThing() }\n")]);
    let e = measure(&t, Duration::from_secs(60)).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, MeasureError::Build { .. }), "{msg}");
    assert!(msg.contains("undefined: undefinedThing"), "{msg}");
}

#[test]
fn not_a_main_package() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n")]);
    let opts = Options { dir: t.path().to_path_buf(), ..Options::default() };
    let e = heft_measure::main_packages(&opts, &["./p".to_string()]).unwrap_err();
    assert!(e.to_string().contains("./p: no main package matched"), "{e}");
}

#[test]
fn missing_go_toolchain() {
    let opts = Options { go: "/nonexistent/go".into(), ..Options::default() };
    let e = heft_measure::main_packages(&opts, &[".".to_string()]).unwrap_err();
    assert!(matches!(e, MeasureError::NoGo { .. }), "{e}");
}

#[test]
fn binary_that_is_not_go() {
    let opts = Options::default();
    let e = heft_measure::measure_binary(&opts, "/bin/sh".as_ref(), &["-c".into(), "echo hi".into()]).unwrap_err();
    assert!(matches!(e, MeasureError::NotGo { .. }), "{e}");
    let e = heft_measure::measure_binary(&opts, "/nonexistent/bin".as_ref(), &[]).unwrap_err();
    assert!(matches!(e, MeasureError::Spawn { .. }), "{e}");
}

/// Fails if small init allocations go missing from the heap profile (the
/// default MemProfileRate samples one allocation per 512 KiB).
#[test]
fn small_init_allocations_are_all_recorded() {
    let t = module(&[
        ("main.go", MAIN),
        (
            "p/p.go",
            "package p\n\ntype node struct{ next *node; v int }\n\nvar head = build()\n\n\
             func build() *node {\n\tvar h *node\n\tfor i := 0; i < 1000; i++ {\n\t\th = &node{h, i}\n\t}\n\treturn h\n}\n\n\
             func Len() int { n := 0; for h := head; h != nil; h = h.next { n++ }; return n }\n",
        ),
    ]);
    let runs = measure(&t, Duration::from_secs(60)).unwrap();
    let p = runs[0].packages.iter().find(|p| p.path == "example.com/t/p").expect("p measured");
    assert_eq!(p.init_allocs, 1000, "{p:?}");
    assert_eq!(p.retained_init_objects, 1000, "every 16-byte node is in the profile: {p:?}");
    assert_eq!(p.retained_init_bytes, 16_000, "{p:?}");
}

#[test]
fn prebuilt_binary_gets_inittrace_and_gctrace() {
    let t = module(&[
        (
            "main.go",
            "package main\n\nimport (\n\t\"os\"\n\t\"runtime\"\n\t\"time\"\n\t_ \"example.com/t/p\"\n)\n\nfunc main() { runtime.GC(); time.Sleep(100 * time.Millisecond); os.Stdout.WriteString(os.Args[1]) }\n",
        ),
        ("p/p.go", "package p\n\nvar Buf = make([]byte, 100000)\n"),
    ]);
    let exe = t.path().join("prog");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), ..Options::default() };
    let runs = heft_measure::measure_binary(&opts, &exe, &["arg".into()]).unwrap();
    let b = &runs[0];
    assert_eq!(b.mode, "binary");
    let p = b.packages.iter().find(|p| p.path == "example.com/t/p").expect("p traced");
    assert!((100_000..=106_496).contains(&p.init_bytes), "{p:?}");
    // The program sleeps after its GC: gctrace's line is printed by whichever
    // goroutine ends the cycle, and an exit right after runtime.GC can cut it.
    assert!(b.gc_count.unwrap() >= 1, "the forced GC in main is seen");
    assert!(b.heap_live.is_none());
}

/// A program whose init reads a file relative to the working directory runs
/// in the measured directory (`-C`), with the caller's environment.
#[test]
fn init_that_needs_a_file_runs_in_the_dir() {
    let t = module(&[
        ("main.go", MAIN),
        (
            "p/p.go",
            "package p\n\nimport \"os\"\n\nvar Conf = mustRead(\"conf.txt\")\n\n\
             func mustRead(name string) []byte {\n\tb, err := os.ReadFile(name)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn b\n}\n",
        ),
        ("conf.txt", "hello\n"),
    ]);
    let runs = measure(&t, Duration::from_secs(60)).unwrap();
    let p = runs[0].packages.iter().find(|p| p.path == "example.com/t/p").expect("p measured");
    assert!(p.init_traced && p.init_allocs >= 1, "{p:?}");
    fs::remove_file(t.path().join("conf.txt")).unwrap();
    let msg = measure(&t, Duration::from_secs(60)).unwrap_err().to_string();
    assert!(msg.contains("panicked during the init of example.com/t/p"), "{msg}");
    assert!(msg.contains("conf.txt: no such file or directory"), "{msg}");
}

/// `--binary` on a program that never exits (a server): killed at the
/// timeout, and since main.main was running its init numbers are complete
/// and reported.
#[test]
fn prebuilt_server_is_killed_after_init() {
    let t = module(&[
        (
            "main.go",
            "package main\n\nimport (\n\t\"time\"\n\t_ \"example.com/t/p\"\n)\n\nfunc main() { time.Sleep(time.Hour) }\n",
        ),
        ("p/p.go", "package p\n\nvar Buf = make([]byte, 100000)\n"),
    ]);
    let exe = t.path().join("server");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), timeout: Duration::from_secs(1), ..Options::default() };
    let start = Instant::now();
    let runs = heft_measure::measure_binary(&opts, &exe, &[]).unwrap();
    assert!(start.elapsed() < Duration::from_secs(10));
    assert!(runs[0].packages.iter().any(|p| p.path == "example.com/t/p" && p.init_bytes >= 100_000));
}

/// An init that prints a line looking like inittrace's for its own
/// package: one line is kept, the real one, with a warning; no panic.
#[test]
fn a_package_with_two_inittrace_lines_is_kept_once_with_a_warning() {
    let t = module(&[
        ("main.go", MAIN),
        (
            "p/p.go",
            "package p\n\nimport \"os\"\n\nvar Buf = make([]byte, 100000)\n\n\
             func init() { os.Stderr.WriteString(\"init example.com/t/p @0.1 ms, 0.002 ms clock, 64 bytes, 1 allocs\\n\") }\n",
        ),
    ]);
    for runs in [1, 3] {
        let opts = Options { dir: t.path().to_path_buf(), runs, ..Options::default() };
        let mains = heft_measure::main_packages(&opts, &[".".to_string()]).unwrap();
        let measured = heft_measure::median(&heft_measure::measure_main(&opts, &mains[0]).unwrap()).unwrap();
        let p: Vec<_> = measured.packages.iter().filter(|p| p.path == "example.com/t/p").collect();
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].init_bytes >= 100_000, "the runtime's line is kept: {p:?}");
        assert!(
            measured.warnings.iter().any(|w| w.contains("example.com/t/p: 2 inittrace lines")),
            "{:?}",
            measured.warnings
        );
    }
}

/// The largest timeout the flag accepts is no deadline, not an overflow.
#[test]
fn a_timeout_too_large_to_add_is_no_deadline() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n\nvar Buf = make([]byte, 1000)\n")]);
    let runs = measure(&t, Duration::from_secs(u64::MAX)).unwrap();
    assert!(runs[0].packages.iter().any(|p| p.path == "example.com/t/p"));
}

/// Whatever the measured program starts during init is stopped with it: no
/// process is left running, and heft does not wait on its pipes.
#[cfg(unix)]
#[test]
fn processes_started_during_init_do_not_outlive_the_run() {
    let marker = format!("{}.{}", 300 + std::process::id() % 600, std::process::id() % 97);
    let t = module(&[
        ("main.go", MAIN),
        (
            "p/p.go",
            &format!(
                "package p\n\nimport (\n\t\"os\"\n\t\"os/exec\"\n)\n\nfunc init() {{\n\tc := exec.Command(\"sleep\", \"{marker}\")\n\tc.Stdout, c.Stderr = os.Stdout, os.Stderr\n\t_ = c.Start()\n}}\n"
            ),
        ),
    ]);
    let alive = || {
        let out = std::process::Command::new("pgrep").args(["-f", &format!("sleep {marker}")]).output().unwrap();
        !out.stdout.is_empty()
    };
    let start = Instant::now();
    measure(&t, Duration::from_secs(60)).unwrap();
    assert!(start.elapsed() < Duration::from_secs(60), "waited on a child's pipes");
    assert!(!alive(), "the child started in init is still running");
}

/// heft measure interrupted (SIGINT at a terminal, SIGTERM from a CI
/// runner) while the program spins in init: no process of the program and
/// no temporary directory remain.
#[cfg(unix)]
#[test]
fn an_interrupted_measure_leaves_nothing_behind() {
    for (signal, code) in [("-TERM", 143), ("-INT", 130)] {
        let t = module(&[
            ("main.go", MAIN),
            ("p/p.go", "package p\n\nvar N int\n\nfunc init() {\n\tfor {\n\t\tN++\n\t}\n}\n"),
        ]);
        let mut heft = crate::env::heft_command()
            .args(["measure", "--timeout", "600", "."])
            .current_dir(t.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mine = format!("heft-measure-{}-", heft.id());
        // The measured program itself (not `go build -o …/probe …`).
        let program = format!("{mine}[0-9]+/probe$");
        let running = || {
            let out = std::process::Command::new("pgrep").args(["-f", &program]).output().unwrap();
            !out.stdout.is_empty()
        };
        let start = Instant::now();
        while !running() {
            assert!(start.elapsed() < Duration::from_secs(300), "the measured program never started");
            std::thread::sleep(Duration::from_millis(100));
        }
        let st = std::process::Command::new("kill").args([signal, &heft.id().to_string()]).status().unwrap();
        assert!(st.success());
        let status = heft.wait().unwrap();
        assert_eq!(status.code(), Some(code), "heft after {signal}");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!running(), "the program still runs after {signal}");
        let left: Vec<_> = fs::read_dir(std::env::temp_dir())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&mine))
            .collect();
        assert!(left.is_empty(), "left behind after {signal}: {left:?}");
    }
}

/// Output of the program on stderr during init: text without a newline
/// glued in front of inittrace's line, and a log line that starts like one.
#[test]
fn program_output_on_stderr_during_init_is_not_inittrace() {
    let t = module(&[
        (
            "main.go",
            "package main\n\nimport (\n\t_ \"example.com/t/p\"\n\t_ \"example.com/t/q\"\n)\n\nfunc main() {}\n",
        ),
        (
            "p/p.go",
            "package p\n\nimport \"os\"\n\nvar Buf = make([]byte, 100000)\n\nfunc init() { os.Stderr.WriteString(\"loading p...\") }\n",
        ),
        (
            "q/q.go",
            "package q\n\nimport (\n\t\"os\"\n\t_ \"example.com/t/p\"\n)\n\nvar Buf = make([]byte, 50000)\n\nfunc init() { os.Stderr.WriteString(\"init config @ startup\\n\") }\n",
        ),
    ]);
    let runs = measure(&t, Duration::from_secs(60)).unwrap();
    let p = runs[0].packages.iter().find(|p| p.path == "example.com/t/p").expect("p measured");
    assert!(p.init_traced && p.init_bytes >= 100_000, "{p:?}");
    let q = runs[0].packages.iter().find(|p| p.path == "example.com/t/q").expect("q measured");
    assert!(q.init_traced && q.init_bytes >= 50_000, "{q:?}");
    assert!(runs[0].warnings.iter().any(|w| w.contains("init config @ startup")), "{:?}", runs[0].warnings);
}

/// A fatal runtime error in init (here a deadlock; out of memory takes the
/// same path) is named from its `fatal error:` line.
#[test]
fn a_fatal_error_in_init_is_named() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n\nfunc init() {\n\tselect {}\n}\n")]);
    let msg = measure(&t, Duration::from_secs(60)).unwrap_err().to_string();
    assert!(msg.contains("stopped with a fatal error (all goroutines are asleep - deadlock!)"), "{msg}");
    assert!(msg.contains("during the init of example.com/t/p"), "{msg}");
}

/// A module whose init starts goroutines that write log lines to stderr and
/// allocate (with GC at 1%, hundreds of collections) while 30 packages
/// initialize and main runs: gctrace and inittrace lines are cut by the
/// program's writes, and inittrace lines by gctrace's.
fn chatty_module() -> TempDir {
    const CHATTY: &str = "package chatty\n\nimport (\n\t\"fmt\"\n\t\"os\"\n\t\"runtime/debug\"\n\t\"time\"\n)\n\n\
        var sink [4][]byte\n\nfunc init() {\n\tdebug.SetGCPercent(1)\n\tfor g := 0; g < 4; g++ {\n\t\tgo func(g int) {\n\
        \t\t\tfor i := 0; ; i++ {\n\t\t\t\tsink[g] = make([]byte, 32<<10)\n\
        \t\t\t\t// One write per line, like the log package; half start with digits.\n\
        \t\t\t\tif i%2 == 0 {\n\t\t\t\t\tfmt.Fprintf(os.Stderr, \"2009/11/10 23:00:00 worker %d line %d\\n\", g, i)\n\
        \t\t\t\t} else {\n\t\t\t\t\tfmt.Fprintf(os.Stderr, \"level=INFO worker=%d line=%d\\n\", g, i)\n\t\t\t\t}\n\
        \t\t\t\tif i%64 == 0 {\n\t\t\t\t\ttime.Sleep(time.Microsecond)\n\t\t\t\t}\n\t\t\t}\n\t\t}(g)\n\t}\n}\n";
    let mut files: Vec<(String, String)> = vec![("chatty/chatty.go".into(), CHATTY.into())];
    let mut imports = String::new();
    for i in 0..30 {
        files.push((
            format!("p{i:02}/p.go"),
            format!(
                "package p{i:02}\n\nimport _ \"example.com/t/chatty\"\n\nvar Buf = make([]byte, 100000)\n\n\
                 var Keep [][]byte\n\nfunc init() {{\n\tfor i := 0; i < 200; i++ {{\n\t\tKeep = append(Keep, make([]byte, 1024))\n\t}}\n}}\n"
            ),
        ));
        imports.push_str(&format!("\t_ \"example.com/t/p{i:02}\"\n"));
    }
    files.push((
        "main.go".into(),
        format!(
            "package main\n\nimport (\n\t\"time\"\n{imports})\n\nfunc main() {{ time.Sleep(200 * time.Millisecond) }}\n"
        ),
    ));
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
    module(&refs)
}

/// `--binary` 20 runs in a row on a program with a chatty stderr: every run
/// succeeds, and each of its 30 packages is either measured right (its
/// 100,000-byte buffer and 200 KiB of slices) or named in a warning — none
/// goes missing silently, none is read wrong.
#[test]
fn prebuilt_binary_with_a_chatty_stderr_never_drops_a_run() {
    let t = chatty_module();
    let exe = t.path().join("prog");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), runs: 20, ..Options::default() };
    let runs = heft_measure::measure_binary(&opts, &exe, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(runs.len(), 20);
    let mut measured = 0;
    for (n, b) in runs.iter().enumerate() {
        assert!(b.gc_count.unwrap() >= 20, "run {n}: {:?}", b.gc_count);
        assert!(b.ended.is_none(), "run {n}: {:?}", b.ended);
        for i in 0..30 {
            let path = format!("example.com/t/p{i:02}");
            match b.packages.iter().find(|p| p.path == path) {
                Some(p) => {
                    // 100,000 bytes (a 100,352-byte span), 200 slices of 1 KiB and
                    // the slice headers appended: some 330 KB in 200-odd allocations.
                    assert!((300_000..=360_000).contains(&p.init_bytes), "run {n}: {p:?}");
                    assert!((200..=230).contains(&p.init_allocs), "run {n}: {p:?}");
                    measured += 1;
                }
                None => assert!(!b.warnings.is_empty(), "run {n}: {path} missing without a warning"),
            }
        }
    }
    // Most are read (here 83-88%; a line cut twice, or right after a
    // number, is not).
    assert!(measured >= 600 * 6 / 10, "{measured} of 600 package inits read");
}

/// `--binary` on a program whose init panics: a failure naming the
/// package, not a measurement without it.
#[test]
fn prebuilt_binary_panicking_in_init_is_a_failure() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n\nfunc init() { panic(\"boom in p\") }\n")]);
    let exe = t.path().join("prog");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), ..Options::default() };
    let e = heft_measure::measure_binary(&opts, &exe, &[]).unwrap_err();
    let msg = e.to_string();
    assert!(matches!(e, MeasureError::InitFailed { .. }), "{msg}");
    assert!(msg.contains("panicked during the init of example.com/t/p"), "{msg}");
    let out = crate::env::heft_output(t.path(), &["measure", "--binary", exe.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

/// `--binary NAME` without a `/` is the file NAME (in `-C DIR`), not a
/// program found in PATH; and `--json` reports the Go version the binary
/// was built with, not the local toolchain's (here there is none).
#[test]
fn prebuilt_binary_named_without_a_slash_is_a_file() {
    let t = module(&[("main.go", MAIN), ("p/p.go", "package p\n\nvar Buf = make([]byte, 100000)\n")]);
    run(go(["build", "-o", "true", "."]).current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), ..Options::default() };
    let runs = heft_measure::measure_binary(&opts, "true".as_ref(), &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(runs[0].packages.iter().any(|p| p.path == "example.com/t/p"), "{:?}", runs[0].packages);
    let built = String::from_utf8(run(&mut go(["env", "GOVERSION"])).stdout).unwrap();
    let dir = t.path().to_str().unwrap();
    let out = crate::env::heft_command()
        .args(["measure", "--json", "-C", dir, "--binary", "true"])
        .env("HEFT_GO", "/nonexistent/go")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["goVersion"], built.trim());
    assert_eq!(doc["binaries"][0]["mode"], "binary");
}

/// A server that ignores SIGQUIT is killed at the timeout all the same (2 s
/// of grace, then SIGKILL); with no goroutine dump heft cannot tell whether
/// its init had finished, and says so.
#[cfg(unix)]
#[test]
fn prebuilt_binary_ignoring_sigquit_is_killed_at_the_timeout() {
    let t = module(&[
        (
            "main.go",
            "package main\n\nimport (\n\t\"os/signal\"\n\t\"syscall\"\n\t\"time\"\n\t_ \"example.com/t/p\"\n)\n\n\
             func main() {\n\tsignal.Ignore(syscall.SIGQUIT)\n\ttime.Sleep(time.Hour)\n}\n",
        ),
        ("p/p.go", "package p\n\nvar Buf = make([]byte, 100000)\n"),
    ]);
    let exe = t.path().join("server");
    run(go(["build", "-o"]).arg(&exe).arg(".").current_dir(t.path()));
    let opts = Options { dir: t.path().to_path_buf(), timeout: Duration::from_secs(1), ..Options::default() };
    let start = Instant::now();
    let runs = heft_measure::measure_binary(&opts, &exe, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
    let b = &runs[0];
    assert!(b.packages.iter().any(|p| p.path == "example.com/t/p" && p.init_bytes >= 100_000), "{b:?}");
    assert_eq!(b.ended.as_deref(), Some("still running after 1 s, killed"));
    assert!(b.warnings.iter().any(|w| w.contains("ignored SIGQUIT")), "{:?}", b.warnings);
}
