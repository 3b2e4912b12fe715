//! heft on bad input: broken go.mod / go.work / vendor/modules.txt, missing
//! modules and packages, broken Go files, cycles, symlink loops, bad command
//! lines. Each case runs the built `heft` binary on a small tree written to a
//! temporary directory and checks that heft says what is wrong and where,
//! exits non-zero, and never panics or hangs.
//!
//! The exit codes asserted here are the ones `crates/heft/src` defines:
//! 2 for a failure that stops the load (and for clap's usage errors), 1 for
//! package errors without `-e` (after the output that is still right), 0 with
//! `-e`. The go command's wording for each case (go1.26, `go list -deps`) is
//! quoted in a comment next to it.
//!
//! The child environment is pinned so the user's settings do not leak in:
//! no proxy, no GOFLAGS, no go.env file, no workspace unless a test wants
//! one, the local toolchain, a private, empty GOMODCACHE and a private heft
//! cache (HEFT_CACHE_DIR). Nothing here touches the network.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A hung heft fails the test instead of hanging `cargo test`.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A small Go tree in a fresh temporary directory, removed on drop.
struct Tree {
    base: PathBuf,
    /// The Go tree; heft runs here.
    root: PathBuf,
    /// A private, empty module cache (GOMODCACHE).
    modcache: PathBuf,
    /// heft's own cache (HEFT_CACHE_DIR), private too.
    heft_cache: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let base = std::env::temp_dir().join(format!("heft-bad-input-{}-{n}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let root = base.join("src");
        let modcache = base.join("modcache");
        let heft_cache = base.join("heft-cache");
        fs::create_dir_all(&root).expect("creating the test tree");
        fs::create_dir_all(&modcache).expect("creating the module cache");
        Tree { base, root, modcache, heft_cache }
    }

    /// A tree holding one module, `example.com/m` at go 1.22.
    fn module(name: &str) -> Tree {
        let t = Tree::new(name);
        t.write("go.mod", "module example.com/m\n\ngo 1.22\n");
        t
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().expect("a file has a parent")).expect("mkdir");
        fs::write(&p, contents).expect("writing a test file");
    }

    fn mkdir(&self, rel: &str) {
        fs::create_dir_all(self.path(rel)).expect("mkdir");
    }

    #[cfg(unix)]
    fn symlink(&self, target: &str, rel: &str) {
        std::os::unix::fs::symlink(target, self.path(rel)).expect("creating a symlink");
    }

    /// Runs heft in the tree with the pinned environment (GOWORK=off).
    fn heft(&self, args: &[&str]) -> Out {
        self.heft_env(args, &[])
    }

    /// Runs heft with more environment on top of the pinned one.
    fn heft_env(&self, args: &[&str], env: &[(&str, &str)]) -> Out {
        let dir = &self.root;
        let mut cmd = crate::env::heft_command();
        cmd.args(args)
            .current_dir(dir)
            .env("GOPROXY", "off")
            .env("GOFLAGS", "")
            .env("GOWORK", "off")
            .env("GOENV", "off")
            .env("GOTOOLCHAIN", "local")
            .env("GOMODCACHE", &self.modcache)
            .env("HEFT_CACHE_DIR", &self.heft_cache)
            .env_remove("GO111MODULE")
            .env_remove("GOOS")
            .env_remove("GOARCH")
            .env_remove("CGO_ENABLED")
            .env_remove("GOEXPERIMENT")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let what = format!("heft {} (in {})", args.join(" "), dir.display());
        run(cmd, what)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        // remove_dir_all does not follow symlinks, so loops are fine.
        let _ = fs::remove_dir_all(&self.base);
    }
}

/// What one heft run did.
struct Out {
    what: String,
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

/// Runs the command with a deadline; fails on a hang, a signal (a stack
/// overflow aborts) or a panic.
fn run(mut cmd: Command, what: String) -> Out {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("starting heft");
    let mut out_pipe = child.stdout.take().expect("stdout is piped");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let out_reader = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out_pipe.read_to_end(&mut b);
        b
    });
    let err_reader = thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err_pipe.read_to_end(&mut b);
        b
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for heft") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what}: did not finish within {TIMEOUT:?} (a hang?)");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let stdout = String::from_utf8_lossy(&out_reader.join().expect("stdout reader")).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr reader")).into_owned();
    let Some(code) = status.code() else {
        panic!("{what}: killed by a signal ({status}; a stack overflow?)\nstderr:\n{stderr}\nstdout:\n{stdout}");
    };
    let out = Out { what, code, stdout, stderr, elapsed };
    assert!(!out.stderr.contains("panicked") && code != 101, "{}: heft panicked\n{}", out.what, out.dump());
    out
}

impl Out {
    fn dump(&self) -> String {
        format!(
            "exit code {} after {:?}\n--- stderr\n{}--- stdout\n{}---",
            self.code, self.elapsed, self.stderr, self.stdout
        )
    }

    /// Exits with `code`, saying something on stderr.
    fn exits(&self, code: i32) -> &Out {
        assert_eq!(self.code, code, "{}: wrong exit code\n{}", self.what, self.dump());
        if code != 0 {
            assert!(!self.stderr.trim().is_empty(), "{}: failed without a message\n{}", self.what, self.dump());
        }
        self
    }

    /// Fails the whole load: exit code 2, a message, nothing on stdout.
    fn fatal(&self) -> &Out {
        self.exits(2);
        assert!(self.stdout.is_empty(), "{}: a failed load printed output\n{}", self.what, self.dump());
        self
    }

    fn fails(&self) -> &Out {
        assert!(self.code != 0, "{}: exit code 0 on bad input\n{}", self.what, self.dump());
        assert!(!self.stderr.trim().is_empty(), "{}: failed without a message\n{}", self.what, self.dump());
        self
    }

    fn stderr_has(&self, needle: &str) -> &Out {
        assert!(self.stderr.contains(needle), "{}: stderr lacks {needle:?}\n{}", self.what, self.dump());
        self
    }

    fn stderr_lacks(&self, needle: &str) -> &Out {
        assert!(!self.stderr.contains(needle), "{}: stderr has {needle:?}\n{}", self.what, self.dump());
        self
    }

    /// The message line about `subject` (a path, a file) names `what`.
    fn stderr_line_has(&self, subject: &str, what: &str) -> &Out {
        assert!(
            self.stderr.lines().any(|l| l.contains(subject) && l.contains(what)),
            "{}: no stderr line names both {subject:?} and {what:?}\n{}",
            self.what,
            self.dump()
        );
        self
    }

    fn stdout_lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    fn stdout_is(&self, lines: &[&str]) -> &Out {
        assert_eq!(self.stdout_lines(), lines, "{}: wrong output\n{}", self.what, self.dump());
        self
    }

    fn json(&self) -> Vec<Value> {
        let v: Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{}: stdout is not JSON: {e}\n{}", self.what, self.dump()));
        v.as_array().unwrap_or_else(|| panic!("{}: not a JSON array\n{}", self.what, self.dump())).clone()
    }
}

/// The `errors` of the package with this path in `heft deps --json` output
/// (empty when the field is absent, as docs/json.md says).
fn json_errors(pkgs: &[Value], path: &str) -> Vec<String> {
    let p = pkgs
        .iter()
        .find(|p| p["path"] == path)
        .unwrap_or_else(|| panic!("{path} missing from the JSON output: {pkgs:#?}"));
    match p.get("errors") {
        None => Vec::new(),
        Some(e) => e
            .as_array()
            .expect("errors is an array")
            .iter()
            .map(|s| s.as_str().expect("errors are strings").to_string())
            .collect(),
    }
}

fn json_paths(pkgs: &[Value]) -> Vec<&str> {
    pkgs.iter().map(|p| p["path"].as_str().expect("path is a string")).collect()
}

// ---------------------------------------------------------------------------
// 1. Malformed go.mod: a failure of the whole load naming go.mod:line.

/// go: "go: errors parsing go.mod:\ngo.mod:5: unknown directive: frobnicate"
#[test]
fn gomod_unknown_directive() {
    let t = Tree::new("gomod-directive");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nfrobnicate x\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./..."]).fatal().stderr_has("go.mod:5: unknown directive: frobnicate");
    // -e does not help: there is no module to analyze (go fails too).
    t.heft(&["deps", "-e", "./..."]).fatal().stderr_has("go.mod:5:");
}

/// go (it tries to resolve non-canonical versions, so with GOPROXY=off):
/// "go.mod:5: module lookup disabled by GOPROXY=off"
#[test]
fn gomod_bad_require_version() {
    let t = Tree::new("gomod-version");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep v1.x\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./..."]).fatal().stderr_line_has("go.mod:5:", "v1.x").stderr_has("invalid");
}

/// go: "go.mod:5: usage: require module/path v1.2.3"
#[test]
fn gomod_require_without_version() {
    let t = Tree::new("gomod-noversion");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/dep\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./..."]).fatal().stderr_has("go.mod:5: usage: require module/path v1.2.3");
}

/// go: "go.mod:7: syntax error (unterminated block started at /abs/go.mod:5:1)"
#[test]
fn gomod_unterminated_block() {
    let t = Tree::new("gomod-block");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/dep v1.0.0\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./..."]).fatal().stderr_has("go.mod:7: syntax error (unterminated block started at 5:1)");
}

/// go: "go.mod:1:21: unexpected input character '\x00'"
#[test]
fn gomod_nul_byte() {
    let t = Tree::new("gomod-nul");
    t.write("go.mod", "module example.com/m\0\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "."]).fatal().stderr_line_has("go.mod:1", "unexpected input character");
}

/// go: "go: error reading go.mod: missing module declaration. To specify the
/// module path:\n\tgo mod edit -module=example.com/mod"
#[test]
fn gomod_without_module_line() {
    let t = Tree::new("gomod-empty");
    t.write("go.mod", "go 1.22\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "."]).fatal().stderr_line_has("go.mod", "module");
}

/// go: `go: malformed module path "example.com/\xff": invalid char '\u{fffd}'`
/// (exit 1). heft reads the path lossily and lists `example.com/\u{fffd}`.
#[test]
fn gomod_module_path_not_utf8() {
    let t = Tree::new("gomod-badpath");
    t.write("go.mod", b"module \"example.com/\xff\"\n\ngo 1.22\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "."]).fatal().stderr_has("go.mod:1").stderr_has("malformed module path");
}

/// go (GOTOOLCHAIN=local): "go: go.mod requires go >= 1.99 (running go
/// 1.26.8; GOTOOLCHAIN=local)", exit 1. `go env -json` does not check the go
/// line, so heft analyzes the module with the older toolchain's rules.
#[test]
fn gomod_requires_newer_go() {
    let t = Tree::new("gomod-newer");
    t.write("go.mod", "module example.com/m\n\ngo 1.99\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "."]).fatal().stderr_has("go.mod requires go >= 1.99");
}

// ---------------------------------------------------------------------------
// 2. go.work.

fn workspace(name: &str) -> Tree {
    let t = Tree::new(name);
    t.write("a/go.mod", "module example.com/a\n\ngo 1.22\n");
    t.write("a/a.go", "package a\n");
    t
}

/// go: "go: errors parsing go.work:\ngo.work:3: usage: use local/dir"
#[test]
fn gowork_bad_use_line() {
    let t = workspace("gowork-use");
    t.write("go.work", "go 1.22\n\nuse ./a extra\n");
    // GOWORK empty: found by searching upward, as users run it.
    t.heft_env(&["deps", "./a/..."], &[("GOWORK", "")]).fatal().stderr_has("go.work:3: usage: use local/dir");
    let work = t.path("go.work");
    t.heft_env(&["deps", "./a/..."], &[("GOWORK", work.to_str().expect("utf-8 temp dir"))])
        .fatal()
        .stderr_has("go.work:3: usage: use local/dir");
}

/// go: "go.work:3: unknown directive: module"
#[test]
fn gowork_unknown_directive() {
    let t = workspace("gowork-directive");
    t.write("go.work", "go 1.22\n\nmodule x\nuse ./a\n");
    t.heft_env(&["deps", "./a/..."], &[("GOWORK", "")]).fatal().stderr_has("go.work:3: unknown directive: module");
}

/// go: "go: cannot load module b listed in go.work file: open b/go.mod: no
/// such file or directory"
#[test]
fn gowork_use_of_directory_without_gomod() {
    let t = workspace("gowork-nomod");
    t.write("go.work", "go 1.22\n\nuse (\n\t./a\n\t./b\n)\n");
    t.mkdir("b");
    t.write("b/b.go", "package b\n");
    t.heft_env(&["deps", "./a/..."], &[("GOWORK", "")])
        .fatal()
        .stderr_line_has("go.work:5:", "cannot load module ./b listed in go.work")
        .stderr_has("go.mod");
    // The same when the directory does not exist at all.
    fs::remove_dir_all(t.path("b")).expect("rm b");
    t.heft_env(&["deps", "./a/..."], &[("GOWORK", "")])
        .fatal()
        .stderr_line_has("go.work:5:", "cannot load module ./b listed in go.work");
}

// ---------------------------------------------------------------------------
// 3. vendor/modules.txt (go >= 1.14 with a vendor directory: vendor mode).

/// A module requiring example.com/dep v1.0.0, vendored, with this
/// vendor/modules.txt (None: no such file).
fn vendored(name: &str, go: &str, modules_txt: Option<&str>) -> Tree {
    let t = Tree::new(name);
    t.write("go.mod", format!("module example.com/m\n\ngo {go}\n\nrequire example.com/dep v1.0.0\n"));
    t.write("m.go", "package m\n\nimport _ \"example.com/dep\"\n");
    t.write("vendor/example.com/dep/dep.go", "package dep\n");
    if let Some(txt) = modules_txt {
        t.write("vendor/modules.txt", txt);
    }
    t
}

#[test]
fn vendor_consistent_tree_loads() {
    // The control for the cases below.
    let t = vendored("vendor-ok", "1.22", Some("# example.com/dep v1.0.0\n## explicit\nexample.com/dep\n"));
    t.heft(&["deps", "./..."]).exits(0).stdout_is(&["example.com/dep", "example.com/m"]);
}

/// go: "go: inconsistent vendoring in DIR:\n\texample.com/dep@v1.0.0: is
/// explicitly required in go.mod, but not marked as explicit in
/// vendor/modules.txt\n\texample.com/dep@v1.0.1: is marked as explicit in
/// vendor/modules.txt, but not explicitly required in go.mod\n\n\tTo ignore
/// the vendor directory, use -mod=readonly or -mod=mod.\n\tTo sync the vendor
/// directory, run:\n\t\tgo mod vendor" (exit 1, also with -e).
#[test]
fn vendor_modules_txt_wrong_version() {
    let t = vendored("vendor-version", "1.22", Some("# example.com/dep v1.0.1\n## explicit\nexample.com/dep\n"));
    t.heft(&["deps", "./..."])
        .fatal()
        .stderr_has("inconsistent vendoring")
        .stderr_has("vendor/modules.txt")
        .stderr_has("example.com/dep@v1.0.0");
}

/// A header without a version is not a module header to the go command, so
/// the required module is missing. go: "go: inconsistent vendoring in DIR:\n
/// \texample.com/dep@v1.0.0: is explicitly required in go.mod, but not marked
/// as explicit in vendor/modules.txt ..."
#[test]
fn vendor_modules_txt_header_without_version() {
    let t = vendored("vendor-header", "1.22", Some("# example.com/dep\n## explicit\nexample.com/dep\n"));
    t.heft(&["deps", "./..."])
        .fatal()
        .stderr_has("inconsistent vendoring")
        .stderr_has("vendor/modules.txt")
        .stderr_has("example.com/dep@v1.0.0");
}

/// go: the same "inconsistent vendoring ... example.com/dep@v1.0.0: is
/// explicitly required in go.mod, but not marked as explicit in
/// vendor/modules.txt".
#[test]
fn vendor_modules_txt_missing() {
    let t = vendored("vendor-missing", "1.22", None);
    t.heft(&["deps", "./..."])
        .fatal()
        .stderr_has("inconsistent vendoring")
        .stderr_has("vendor/modules.txt")
        .stderr_has("example.com/dep@v1.0.0");
}

/// go: "go: reading modules.txt for vendor directory: read
/// DIR/vendor/modules.txt: is a directory". heft currently prints the OS
/// error twice: "reading DIR/vendor/modules.txt: Is a directory (os error 21):
/// Is a directory (os error 21)".
#[test]
fn vendor_modules_txt_unreadable() {
    let t = vendored("vendor-unreadable", "1.22", None);
    t.mkdir("vendor/modules.txt");
    let out = t.heft(&["deps", "./..."]);
    out.fatal().stderr_has("vendor/modules.txt");
    let first = out.stderr.lines().next().unwrap_or("");
    let cause = first.rsplit(": ").next().unwrap_or("");
    assert_eq!(first.matches(cause).count(), 1, "the cause {cause:?} is repeated\n{}", out.dump());
}

/// Since go 1.23 a vendored package must be listed. go: "go: ignoring package
/// example.com/dep/sub which exists in the vendor directory but is missing
/// from vendor/modules.txt. To sync the vendor directory run go mod vendor."
/// and "m.go:5:2: cannot find module providing package example.com/dep/sub:
/// import lookup disabled by -mod=vendor".
#[test]
fn vendor_package_missing_from_modules_txt() {
    let t =
        vendored("vendor-unlisted", "1.23", Some("# example.com/dep v1.0.0\n## explicit; go 1.23\nexample.com/dep\n"));
    t.write("m.go", "package m\n\nimport (\n\t_ \"example.com/dep\"\n\t_ \"example.com/dep/sub\"\n)\n");
    t.write("vendor/example.com/dep/sub/sub.go", "package sub\n");
    t.heft(&["deps", "./..."])
        .exits(1)
        .stdout_is(&["example.com/dep", "example.com/dep/sub", "example.com/m"])
        .stderr_line_has("example.com/dep/sub", "missing from vendor/modules.txt")
        .stderr_has("go mod vendor");
}

// ---------------------------------------------------------------------------
// 4. A required module missing from the (private, empty) module cache.

fn not_in_cache(name: &str) -> Tree {
    let t = Tree::new(name);
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nrequire example.com/nothere v1.0.0\n");
    t.write("m.go", "package m\n\nimport _ \"example.com/nothere/pkg\"\n");
    t
}

fn assert_cache_untouched(t: &Tree) {
    let entries: Vec<_> =
        fs::read_dir(&t.modcache).expect("reading the module cache").flatten().map(|e| e.file_name()).collect();
    assert!(entries.is_empty(), "heft wrote to the module cache (a download?): {entries:?}");
}

/// go (no go.sum): "m.go:3:8: missing go.sum entry for module providing
/// package example.com/nothere/pkg (imported by example.com/m); to add:\n\tgo
/// get example.com/m"; with a go.sum entry: "go: downloading
/// example.com/nothere v1.0.0\nm.go:3:8: module lookup disabled by
/// GOPROXY=off".
#[test]
fn module_missing_from_cache() {
    let t = not_in_cache("modcache");
    t.heft(&["deps", "./..."])
        .exits(1)
        .stdout_is(&["example.com/nothere/pkg", "example.com/m"])
        .stderr_line_has("example.com/nothere@v1.0.0", "not in the module cache")
        .stderr_line_has("example.com/nothere@v1.0.0", "go mod download");
    assert_cache_untouched(&t);
}

#[test]
fn module_missing_from_cache_is_named_once_and_every_site_with_e() {
    let t = not_in_cache("modcache-site");
    let out = t.heft(&["deps", "./..."]);
    out.exits(1);
    assert_eq!(out.stderr.lines().filter(|l| l.contains("example.com/nothere")).count(), 1, "{}", out.stderr);
    out.stderr_line_has("1 module(s) the packages need are not in the module cache", "example.com/nothere@v1.0.0");
    t.heft(&["deps", "-e", "./..."]).exits(0).stderr_line_has("m.go:3", "example.com/nothere");
}

// ---------------------------------------------------------------------------
// 5. Packages nobody provides.

fn not_found(name: &str) -> Tree {
    let t = Tree::module(name);
    t.write("m.go", "package m\n\nimport (\n\t_ \"example.org/nobody/provides\"\n\t_ \"net/nosuchpkg\"\n)\n");
    t
}

/// go: "m.go:4:2: no required module provides package
/// example.org/nobody/provides; to add it:\n\tgo get
/// example.org/nobody/provides" and "m.go:5:2: package net/nosuchpkg is not in
/// std (GOROOT/src/net/nosuchpkg)"; then the list, exit 1.
#[test]
fn package_not_found() {
    let t = not_found("notfound");
    t.heft(&["deps", "./..."])
        .exits(1)
        .stdout_is(&["example.org/nobody/provides", "net/nosuchpkg", "example.com/m"])
        .stderr_line_has(
            "example.org/nobody/provides",
            "no required module provides package example.org/nobody/provides",
        )
        .stderr_has("go get example.org/nobody/provides")
        .stderr_line_has("net/nosuchpkg", "is not in std");
}

#[test]
fn package_not_found_names_import_site() {
    let t = not_found("notfound-site");
    t.heft(&["deps", "./..."])
        .exits(1)
        .stderr_line_has("m.go:4", "example.org/nobody/provides")
        .stderr_line_has("m.go:5", "net/nosuchpkg");
}

/// go: "m.go:3:8: example.com/x@v1.0.0: replacement directory ../nowhere does
/// not exist"
#[test]
fn replacement_directory_missing() {
    let t = Tree::new("replace-missing");
    t.write(
        "go.mod",
        "module example.com/m\n\ngo 1.22\n\nrequire example.com/x v1.0.0\n\nreplace example.com/x => ../nowhere\n",
    );
    t.write("m.go", "package m\n\nimport _ \"example.com/x\"\n");
    t.heft(&["deps", "./..."])
        .exits(1)
        .stdout_is(&["example.com/x", "example.com/m"])
        .stderr_line_has("example.com/x", "replacement directory")
        .stderr_has("nowhere");
}

/// go: `m.go:3:8: malformed import path "\u{e9}.com/x": invalid char '\u{e9}'`.
/// heft: "no required module provides package \u{e9}.com/x; add it to go.mod
/// (go get \u{e9}.com/x)", advice that cannot work.
#[test]
fn malformed_import_path() {
    let t = Tree::module("badimport");
    t.write("m.go", "package m\n\nimport _ \"\u{e9}.com/x\"\n");
    t.heft(&["deps", "."]).exits(1).stderr_line_has("\u{e9}.com/x", "malformed import path");
}

// ---------------------------------------------------------------------------
// 6. Syntax errors in the import block: file:line:col.

fn syntax_error(name: &str, source: &str) -> Tree {
    let t = Tree::module(name);
    t.write("m.go", source);
    t.write("ok.go", "package m\n");
    t
}

#[test]
fn import_block_syntax_errors() {
    // (source, what go says)
    let cases = [
        ("package m\n\nimport (\n\t\"fmt\"\n\t\"strings\n)\n", "m.go:5:2: string literal not terminated"),
        ("package m\n\nimport (\n\t\"fmt\"\n\tstrings\n)\n", "m.go:5:9: missing import path"),
        ("package m\n\nimport (\n\t\"fmt\"\n", "m.go:4:8: expected ')', found 'EOF'"),
    ];
    for (i, (source, want)) in cases.iter().enumerate() {
        let t = syntax_error(&format!("syntax{i}"), source);
        t.heft(&["deps", "./..."]).exits(1).stdout_is(&["example.com/m"]).stderr_line_has("example.com/m", want);
    }
}

// ---------------------------------------------------------------------------
// 7. Import cycles and internal packages.

fn cycle(name: &str) -> Tree {
    let t = Tree::module(name);
    t.write("a/a.go", "package a\n\nimport _ \"example.com/m/b\"\n");
    t.write("b/b.go", "package b\n\nimport _ \"example.com/m/a\"\n");
    t
}

/// go: "package example.com/m/a\n\timports example.com/m/b from a.go\n\timports
/// example.com/m/a from b.go: import cycle not allowed"
#[test]
fn import_cycle() {
    let t = cycle("cycle");
    t.heft(&["deps", "./a"])
        .exits(1)
        .stdout_is(&["example.com/m/b", "example.com/m/a"])
        .stderr_line_has("example.com/m/a", "import cycle not allowed");
}

#[test]
fn import_cycle_shows_the_cycle() {
    let t = cycle("cycle-chain");
    let out = t.heft(&["deps", "./a"]);
    out.exits(1);
    let msg: String = out
        .stderr
        .lines()
        .skip_while(|l| !l.contains("example.com/m/a"))
        .take_while(|l| !l.starts_with("package ") || l.contains("example.com/m/a"))
        .collect::<Vec<_>>()
        .join("\n");
    for want in ["example.com/m/b", "a.go", "b.go", "import cycle not allowed"] {
        assert!(msg.contains(want), "the cycle message lacks {want:?}: {msg:?}\n{}", out.dump());
    }
}

fn internal_tree(name: &str) -> Tree {
    let t = Tree::module(name);
    t.write("x/internal/y/y.go", "package y\n");
    t.write(
        "z/z.go",
        "package z\n\nimport (\n\t\"unsafe\"\n\n\t_ \"example.com/m/x/internal/y\"\n)\n\nvar _ unsafe.Pointer\n",
    );
    t.write("s/s.go", "package s\n\nimport _ \"internal/cpu\"\n");
    t
}

/// go: "package example.com/m/z\n\tz/z.go:6:2: use of internal package
/// example.com/m/x/internal/y not allowed" and, for std, "package
/// example.com/m/s\n\ts/s.go:3:8: use of internal package internal/cpu not
/// allowed".
#[test]
fn internal_violation() {
    let t = internal_tree("internal");
    t.heft(&["deps", "./z"])
        .exits(1)
        .stdout_is(&["example.com/m/x/internal/y", "unsafe", "example.com/m/z"])
        .stderr_line_has("z/z.go:6:2", "use of internal package example.com/m/x/internal/y not allowed");
    t.heft(&["deps", "./s"])
        .exits(1)
        .stdout_is(&["unsafe", "internal/cpu", "example.com/m/s"])
        .stderr_line_has("s/s.go:3", "use of internal package internal/cpu not allowed");
}

#[test]
fn internal_violation_names_import_site() {
    let t = internal_tree("internal-site");
    t.heft(&["deps", "./z"]).exits(1).stderr_line_has("z.go:6", "use of internal package");
    t.heft(&["deps", "./s"]).exits(1).stderr_line_has("s.go:3", "use of internal package");
}

// ---------------------------------------------------------------------------
// 8. Symlink loops. The go command does not follow symlinks in `./...`.

#[cfg(unix)]
fn symlinks(name: &str) -> Tree {
    let t = Tree::module(name);
    t.write("m.go", "package m\n");
    t.write("p/p.go", "package p\n");
    t.symlink("b", "a"); // a -> b -> a
    t.symlink("a", "b");
    t.symlink(".", "x"); // x -> the module root
    t.symlink("..", "p/up"); // p/up -> the module root
    t.symlink("p", "q");
    t
}

/// go (-e and without): "example.com/m\nexample.com/m/p", exit 0.
#[cfg(unix)]
#[test]
fn symlink_loops_in_wildcard() {
    let t = symlinks("symlinks");
    for args in [&["deps", "./..."][..], &["deps", "-e", "./..."]] {
        let out = t.heft(args);
        out.exits(0).stdout_is(&["example.com/m", "example.com/m/p"]);
        assert!(out.elapsed < Duration::from_secs(20), "slow on symlink loops: {:?}", out.elapsed);
    }
    let pkgs = t.heft(&["deps", "--json", "./..."]).exits(0).json();
    assert_eq!(json_paths(&pkgs), ["example.com/m", "example.com/m/p"]);
    // A symlink named directly is followed, as the go command does.
    t.heft(&["deps", "./q/..."]).exits(0).stdout_is(&["example.com/m/q"]);
}

/// x -> . names the module root again, which has a go.mod. go: "main module
/// (example.com/m) does not contain package example.com/m/x" (exit 1; with
/// -e an error entry for "./x" and exit 0).
#[cfg(unix)]
#[test]
fn symlink_to_module_root() {
    let t = symlinks("symlink-root");
    t.heft(&["deps", "./x"]).fatal().stderr_has("./x");
    t.heft(&["deps", "./x/..."]).fatal().stderr_has("./x/...");
}

/// go: "stat DIR/a: too many levels of symbolic links". heft: "package ./a:
/// directory not found: DIR/a".
#[cfg(unix)]
#[test]
fn symlink_loop_named_directly() {
    let t = symlinks("symlink-direct");
    let out = t.heft(&["deps", "./a"]);
    out.exits(1).stderr_has("./a");
    assert!(
        out.stderr.to_lowercase().contains("too many levels of symbolic links"),
        "the message does not name the symlink loop\n{}",
        out.dump()
    );
}

/// go: "pattern ./a/...: lstat ./a/: too many levels of symbolic links"
/// (exit 1; with -e an error entry and exit 0). heft prints nothing, exit 0.
#[cfg(unix)]
#[test]
fn symlink_loop_wildcard_named_directly() {
    let t = symlinks("symlink-direct-wild");
    t.heft(&["deps", "./a/..."]).fails().stderr_has("./a/...").stderr_has("symbolic links");
}

/// A Go file that is a symlink loop, and a dangling one. go: "open
/// DIR/self.go: too many levels of symbolic links" and "open
/// DIR/p/dangling.go: no such file or directory" (InvalidGoFiles, exit 1).
/// heft skips both files silently and exits 0.
#[cfg(unix)]
#[test]
fn go_file_symlink_loop() {
    let t = symlinks("symlink-file");
    t.symlink("self.go", "self.go");
    t.symlink("/nonexistent/heft/d.go", "p/dangling.go");
    t.heft(&["deps", "./..."]).exits(1).stderr_has("self.go").stderr_has("dangling.go");
}

/// go: "pattern ./nonexist/...: lstat ./nonexist/: no such file or
/// directory" (exit 1). heft prints nothing and exits 0.
#[test]
fn wildcard_under_missing_directory() {
    let t = Tree::module("wild-missing");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./nonexist/..."]).fails().stderr_has("./nonexist");
}

/// go: `go: warning: "./empty/..." matched no packages` (exit 0).
#[test]
fn wildcard_matching_nothing_warns() {
    let t = Tree::module("wild-empty");
    t.write("m.go", "package m\n");
    t.mkdir("empty");
    t.heft(&["deps", "./empty/..."]).exits(0).stderr_has("matched no packages");
}

/// go: "stat DIR/nonexist: directory not found"
#[test]
fn directory_pattern_missing() {
    let t = Tree::module("dir-missing");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "./nonexist"])
        .exits(1)
        .stdout_is(&["./nonexist"])
        .stderr_line_has("./nonexist", "directory not found");
}

// ---------------------------------------------------------------------------
// 9. Files that are not UTF-8, and NUL bytes.

fn encodings(name: &str) -> Tree {
    let t = Tree::module(name);
    t.write("a/a.go", b"package a\n\nimport _ \"fmt\xff\"\n");
    t.write("b/b.go", b"// caf\xe9 comment\npackage b\n\nimport _ \"unsafe\"\n");
    t.write("c/c.go", b"package c\n\nimport _ \"unsafe\"\n\x00\n");
    t.write("d/d.go", b"package d\n\nimport _ \"un\x00safe\"\n");
    t
}

/// go: "a/a.go:3:14: illegal UTF-8 encoding", "b/b.go:1:7: illegal UTF-8
/// encoding", "read DIR/c/c.go: unexpected NUL in input", "read DIR/d/d.go:
/// unexpected NUL in input".
#[test]
fn not_utf8_and_nul() {
    let t = encodings("encodings");
    let cases = [
        ("a", "a.go:3:14: illegal UTF-8 encoding"),
        ("b", "b.go:1:7: illegal UTF-8 encoding"),
        ("c", "c.go:4:1: unexpected NUL in input"),
        ("d", "d.go:3:13: unexpected NUL in input"),
    ];
    for (dir, want) in cases {
        let path = format!("example.com/m/{dir}");
        t.heft(&["deps", &format!("./{dir}")]).exits(1).stdout_is(&[path.as_str()]).stderr_line_has(&path, want);
    }
}

// ---------------------------------------------------------------------------
// 10. Command-line mistakes.

/// go: "go: go.mod file not found in current directory or any parent
/// directory; see 'go help modules'"; with ./...: "pattern ./...: directory
/// prefix . does not contain main module or its selected dependencies".
#[test]
fn outside_any_module() {
    let t = Tree::new("nomodule");
    if t.root.ancestors().any(|d| d.join("go.mod").is_file()) {
        eprintln!("skipped: the temporary directory is inside a Go module");
        return;
    }
    t.write("z.go", "package z\n");
    for args in [&["deps", "./..."][..], &["deps"], &["why", "./x", "fmt"]] {
        t.heft(args).fatal().stderr_has("cannot find main module").stderr_has("go.mod");
    }
}

#[test]
fn outside_any_module_without_pattern() {
    let t = Tree::new("nomodule-nopattern");
    if t.root.ancestors().any(|d| d.join("go.mod").is_file()) {
        eprintln!("skipped: the temporary directory is inside a Go module");
        return;
    }
    t.heft(&["deps"]).fatal().stderr_lacks("loading :");
}

/// go: "go: chdir /nonexistent: no such file or directory" and "go: chdir
/// DIR/go.mod: not a directory". heft: "heft: running `go env -json`: No such
/// file or directory (os error 2) (is Go installed and on PATH?)", which
/// blames the Go installation for a bad -C.
#[test]
fn dash_c_directory_missing() {
    let t = Tree::module("dash-c");
    t.write("m.go", "package m\n");
    let missing = t.path("nonexistent");
    let file = t.path("go.mod");
    for dir in [&missing, &file] {
        let dir = dir.to_str().expect("utf-8 temp dir");
        t.heft(&["deps", "-C", dir, "."]).fatal().stderr_has(dir).stderr_lacks("is Go installed");
    }
}

fn two_commands(name: &str) -> Tree {
    let t = Tree::module(name);
    let main = "package main\n\nimport _ \"unsafe\"\n\nfunc main() {}\n";
    t.write("cmd/a/main.go", main);
    t.write("cmd/b/main.go", main);
    t
}

#[test]
fn why_package_not_in_graph() {
    let t = two_commands("why-missing");
    for pkg in ["net/http", "example.com/nope"] {
        t.heft(&["why", "./cmd/a", pkg]).fatal().stderr_has(&format!("{pkg} is not linked by example.com/m/cmd/a"));
    }
    // The control: a package that is in the graph.
    t.heft(&["why", "./cmd/a", "unsafe"])
        .exits(0)
        .stdout_is(&["example.com/m/cmd/a", "  -> unsafe  (cmd/a/main.go:3)"]);
}

#[test]
fn why_root_pattern_matches_several_packages() {
    let t = two_commands("why-several");
    t.heft(&["why", "./cmd/...", "unsafe"])
        .fatal()
        .stderr_has("\"./cmd/...\" matches 2 packages; name one root package");
}

/// The root itself is broken: its error, exit 1.
#[test]
fn why_root_missing() {
    let t = two_commands("why-noroot");
    t.heft(&["why", "./nonexist", "unsafe"]).exits(1).stderr_line_has("./nonexist", "directory not found");
}

#[test]
fn command_line_errors() {
    let t = two_commands("cli");
    t.heft(&["deps", "--bogus", "./..."]).fatal().stderr_has("unexpected argument '--bogus'");
    t.heft(&["why", "./cmd/a"]).fatal().stderr_has("<PACKAGE>");
    // Without a command, words are the report's root packages (as `go build frob` would say).
    t.heft(&["frob"]).exits(1).stderr_has("package frob is not in std");
    t.heft(&["deps", "--cgo", "maybe", "."]).fatal().stderr_has("expected on or off");
}

// ---------------------------------------------------------------------------
// 11. -e: the same broken trees give output and exit 0; without -e the
// output that is still right is printed, then exit 1.

#[test]
fn keep_going_not_found() {
    let t = not_found("e-notfound");
    let want = ["example.org/nobody/provides", "net/nosuchpkg", "example.com/m"];
    t.heft(&["deps", "-e", "./..."]).exits(0).stdout_is(&want);
    for args in [&["deps", "-e", "--json", "./..."][..], &["deps", "--json", "./..."]] {
        let out = t.heft(args);
        out.exits(if args.contains(&"-e") { 0 } else { 1 });
        let pkgs = out.json();
        assert_eq!(json_paths(&pkgs), want);
        assert!(
            json_errors(&pkgs, "example.org/nobody/provides")[0]
                .contains("no required module provides package example.org/nobody/provides"),
            "{}",
            out.dump()
        );
        assert!(json_errors(&pkgs, "net/nosuchpkg")[0].contains("is not in std"));
        assert!(json_errors(&pkgs, "example.com/m").is_empty());
    }
    // why: without -e the errors stop it; with -e the chain is shown.
    t.heft(&["why", ".", "example.org/nobody/provides"])
        .exits(1)
        .stdout_is(&[])
        .stderr_has("no required module provides package");
    t.heft(&["why", "-e", ".", "example.org/nobody/provides"])
        .exits(0)
        .stdout_is(&["example.com/m", "  -> example.org/nobody/provides  (m.go:4)"]);
}

#[test]
fn keep_going_not_in_cache() {
    let t = not_in_cache("e-modcache");
    let out = t.heft(&["deps", "-e", "--json", "./..."]);
    let pkgs = out.exits(0).json();
    assert_eq!(json_paths(&pkgs), ["example.com/nothere/pkg", "example.com/m"]);
    let errs = json_errors(&pkgs, "example.com/nothere/pkg");
    assert!(errs.len() == 1 && errs[0].contains("go mod download example.com/nothere"), "{}", out.dump());
    assert_cache_untouched(&t);
}

#[test]
fn keep_going_syntax_error() {
    let t = syntax_error("e-syntax", "package m\n\nimport (\n\t\"fmt\"\n\t\"strings\n)\n");
    for args in [&["deps", "-e", "--json", "./..."][..], &["deps", "--json", "./..."]] {
        let out = t.heft(args);
        out.exits(if args.contains(&"-e") { 0 } else { 1 });
        let pkgs = out.json();
        assert_eq!(json_paths(&pkgs), ["example.com/m"]);
        let errs = json_errors(&pkgs, "example.com/m");
        assert!(errs.len() == 1 && errs[0].ends_with("m.go:5:2: string literal not terminated"), "{}", out.dump());
    }
    t.heft(&["deps", "-e", "./..."]).exits(0).stdout_is(&["example.com/m"]);
}

#[test]
fn keep_going_cycle_and_internal() {
    let t = cycle("e-cycle");
    let pkgs = t.heft(&["deps", "-e", "--json", "./a"]).exits(0).json();
    assert_eq!(json_paths(&pkgs), ["example.com/m/b", "example.com/m/a"]);
    let errs = json_errors(&pkgs, "example.com/m/a");
    assert!(errs.len() == 1 && errs[0].starts_with("import cycle not allowed"), "{errs:?}");
    t.heft(&["why", "-e", "./a", "example.com/m/b"])
        .exits(0)
        .stdout_is(&["example.com/m/a", "  -> example.com/m/b  (a/a.go:3)"]);

    let t = internal_tree("e-internal");
    let pkgs = t.heft(&["deps", "-e", "--json", "./z"]).exits(0).json();
    assert_eq!(
        json_errors(&pkgs, "example.com/m/z"),
        ["use of internal package example.com/m/x/internal/y not allowed"]
    );
    assert!(json_errors(&pkgs, "example.com/m/x/internal/y").is_empty());
}

#[test]
fn keep_going_encodings() {
    let t = encodings("e-encodings");
    let pkgs = t.heft(&["deps", "-e", "--json", "./a", "./b", "./c", "./d"]).exits(0).json();
    for (dir, want) in [
        ("a", "illegal UTF-8 encoding"),
        ("b", "illegal UTF-8 encoding"),
        ("c", "unexpected NUL in input"),
        ("d", "unexpected NUL in input"),
    ] {
        let errs = json_errors(&pkgs, &format!("example.com/m/{dir}"));
        assert!(errs.iter().any(|e| e.contains(want)), "{dir}: {errs:?} lacks {want:?}");
    }
}

/// A broken go.mod (or go.work) leaves nothing to analyze, -e or not, as
/// with the go command.
#[test]
fn keep_going_does_not_hide_fatal_errors() {
    let t = Tree::new("e-gomod");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n\nfrobnicate x\n");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "-e", "--json", "./..."]).fatal().stderr_has("go.mod:5: unknown directive: frobnicate");
    t.heft(&["why", "-e", ".", "unsafe"]).fatal().stderr_has("go.mod:5:");
}

// ---------------------------------------------------------------------------
// 12. heft's own on-disk cache (HEFT_CACHE_DIR), damaged: it may cost speed,
// never a wrong answer, an error or a panic.

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            files_under(&e.path(), out);
        } else if ft.is_file() {
            out.push(e.path());
        }
    }
}

#[test]
fn damaged_heft_cache() {
    let t = Tree::module("heft-cache");
    t.write("m.go", "package m\n\nimport _ \"errors\"\n");
    let args = ["deps", "--json", "./..."];
    let want = t.heft(&args).exits(0).stdout.clone();
    let mut files = Vec::new();
    files_under(&t.heft_cache, &mut files);
    let originals: Vec<(PathBuf, Vec<u8>)> =
        files.into_iter().map(|f| (f.clone(), fs::read(&f).expect("reading the cache"))).collect();
    type Damage = fn(&[u8]) -> Vec<u8>;
    let damages: [(&str, Damage); 5] = [
        ("empty", |_| Vec::new()),
        ("truncated to half", |b| b[..b.len() / 2].to_vec()),
        ("last byte cut", |b| b[..b.len().saturating_sub(1)].to_vec()),
        ("all 0xff", |b| vec![0xff; b.len()]),
        ("garbage appended", |b| [b, &[0xff; 64][..]].concat()),
    ];
    for (what, damage) in damages {
        for (f, bytes) in &originals {
            fs::write(f, damage(bytes)).expect("damaging the cache");
        }
        let out = t.heft(&args);
        out.exits(0);
        assert!(out.stdout == want, "{what}: the output changed\n{}", out.dump());
    }
    // The cache directory is a file: heft works without a cache.
    fs::remove_dir_all(&t.heft_cache).expect("rm cache");
    fs::write(&t.heft_cache, "not a directory").expect("writing a file");
    let out = t.heft(&args);
    out.exits(0);
    assert!(out.stdout == want, "cache dir is a file: the output changed\n{}", out.dump());
}

/// go: "ios/arm64 requires external (cgo) linking, but cgo is not enabled",
/// on the main package.
#[test]
fn target_that_needs_cgo_without_cgo() {
    let t = Tree::new("needs-cgo");
    t.write("go.mod", "module example.com/m\n\ngo 1.22\n");
    t.write("cmd/x/main.go", "package main\n\nfunc main() {}\n");
    t.heft(&["deps", "--goos", "ios", "--goarch", "arm64", "--cgo", "off", "./cmd/x"])
        .exits(1)
        .stderr_has("ios/arm64 requires external (cgo) linking, but cgo is not enabled");
}

// ---------------------------------------------------------------------------
// Bounded output.

#[test]
fn many_broken_files_are_one_error_as_in_go() {
    let t = Tree::module("many-empty");
    for i in 0..2000 {
        t.write(&format!("e{i:04}.go"), "");
    }
    let out = t.heft(&["deps", "."]);
    out.exits(1);
    assert_eq!(out.stderr.lines().count(), 1, "{}", out.stderr);
    out.stderr_line_has("e0000.go:1:1", "expected 'package', found 'EOF'");
}

#[test]
fn why_limit_is_bounded() {
    let t = two_commands("why-limit");
    t.heft(&["why", "--all", "--limit", "100000000000", "./cmd/a", "unsafe"]).fatal().stderr_has("not in 1..=100000");
    t.heft(&["why", "--all", "--limit", "100000", "./cmd/a", "unsafe"]).exits(0);
}

// ---------------------------------------------------------------------------
// Workspaces the go command refuses.

#[test]
fn invalid_workspaces_are_refused_as_go_does() {
    let cases: [(&str, &str, &str); 5] = [
        ("ws-twice", "use ./a\nuse ./a\n", "go.work:4: path"),
        ("ws-two-spellings", "use ./a\nuse a\n", "appears multiple times in workspace"),
        ("ws-same-module", "use ./a\nuse ./b\n", "module example.com/a appears multiple times in workspace"),
        ("ws-symlink", "use ./a\nuse ./c\n", "module example.com/a appears multiple times in workspace"),
        ("ws-too-new", "use ./a\n", "go.work requires go >= 1.99"),
    ];
    for (name, uses, message) in cases {
        let t = Tree::new(name);
        for dir in ["a", "b"] {
            t.write(&format!("{dir}/go.mod"), "module example.com/a\n\ngo 1.22\n");
            t.write(&format!("{dir}/a.go"), "package a\n");
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(t.path("a"), t.path("c")).unwrap();
        let go = if name == "ws-too-new" { "1.99" } else { "1.22" };
        t.write("go.work", format!("go {go}\n\n{uses}"));
        let work = t.path("go.work");
        t.heft_env(&["deps", "./a"], &[("GOWORK", work.to_str().unwrap())]).fatal().stderr_has(message);
    }
}

#[test]
fn an_empty_target_is_refused() {
    let t = Tree::module("empty-goos");
    t.write("m.go", "package m\n");
    t.heft(&["deps", "--goos", "", "."]).fatal().stderr_has("a value is required for '--goos");
    t.heft(&["deps", "--goarch", "", "."]).fatal().stderr_has("a value is required for '--goarch");
}

#[test]
fn a_replacement_directory_without_go_mod_is_an_error_at_the_import() {
    let t = Tree::new("replace-no-gomod");
    t.write(
        "go.mod",
        "module example.com/m\n\ngo 1.22\n\nrequire example.com/x v0.0.0\n\nreplace example.com/x => ./x\n",
    );
    t.write("x/x.go", "package x\n");
    t.write("main.go", "package main\n\nimport _ \"example.com/x\"\n\nfunc main() {}\n");
    t.heft(&["deps", "."]).exits(1).stderr_line_has("main.go:3:8", "x/go.mod: no such file");
}

#[test]
fn goflags_are_checked_as_go_does_and_unsupported_ones_named() {
    let t = Tree::module("goflags");
    t.write("m.go", "package m\n");
    for (flags, message) in [
        ("-garbage", "unknown flag -garbage"),
        ("-tags", "flag needs an argument: -tags"),
        ("-race -msan", "may not use -race and -msan simultaneously"),
        ("-covermode", "flag needs an argument: -covermode"),
        ("-coverpkg=./...", "GOFLAGS -coverpkg=./...: what this changes in the package graph is not modeled"),
        ("-modfile=alt.mod", "GOFLAGS -modfile=alt.mod:"),
    ] {
        t.heft_env(&["deps", "."], &[("GOFLAGS", flags)]).fatal().stderr_has(message);
    }
    t.heft_env(&["deps", "."], &[("GOFIPS140", "v1.0.0")]).fatal().stderr_has("GOFIPS140=v1.0.0");
    t.heft_env(&["deps", "."], &[("GOFLAGS", "-trimpath -v -ldflags=-s")]).exits(0);
}

/// A dependency's go.mod requires a higher version than go.mod lists: go
/// refuses ("updates to go.mod needed"); with -mod=mod it builds the
/// higher one.
#[test]
fn untidy_go_mod_is_refused_or_upgraded_with_mod_mod() {
    let t = Tree::new("untidy");
    t.write(
        "go.mod",
        "module example.com/m\n\ngo 1.22\n\nrequire (\n\texample.com/x v1.0.0\n\texample.com/y v1.1.0\n)\n\n\
         replace example.com/x v1.0.0 => ./x\n\nreplace example.com/y v1.1.0 => ./y1\n\nreplace example.com/y v1.2.0 => ./y2\n",
    );
    t.write("x/go.mod", "module example.com/x\n\ngo 1.22\n\nrequire example.com/y v1.2.0\n");
    t.write("x/x.go", "package x\n\nimport _ \"example.com/y\"\n");
    for y in ["y1", "y2"] {
        t.write(&format!("{y}/go.mod"), "module example.com/y\n\ngo 1.22\n");
    }
    t.write("y1/y.go", "package y\n");
    t.write("y2/y.go", "package y\n\nimport _ \"strings\"\n");
    t.write("main.go", "package main\n\nimport _ \"example.com/x\"\n\nfunc main() {}\n");
    t.heft(&["deps", "."])
        .fatal()
        .stderr_has("updates to go.mod needed")
        .stderr_has("example.com/x@v1.0.0 requires example.com/y@v1.2.0");
    let out = t.heft_env(&["deps", "--json", "."], &[("GOFLAGS", "-mod=mod")]);
    out.exits(0);
    let doc: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let y = doc.as_array().unwrap().iter().find(|p| p["path"] == "example.com/y").expect("y loaded");
    assert!(y["dir"].as_str().unwrap().ends_with("y2"), "{y}");
    assert!(fs::read_to_string(t.path("go.mod")).unwrap().contains("example.com/y v1.1.0"), "go.mod untouched");
}

/// go: `invalid input file name "-dash.go"` and `case-insensitive file name
/// collision: "X.go" and "x.go"`, whatever the files' constraints.
#[test]
fn input_file_names_go_refuses_are_package_errors() {
    let t = Tree::module("file-names");
    t.write("b/b.go", "package b\n");
    t.write("b/-dash.go", "//go:build ignore\n\npackage b\n");
    t.write("c/X.go", "package c\n");
    t.write("c/x.go", "package c\n");
    t.heft(&["deps", "./b"]).exits(1).stderr_has("invalid input file name \"-dash.go\"");
    t.heft(&["deps", "./c"]).exits(1).stderr_has("case-insensitive file name collision: \"X.go\" and \"x.go\"");
}

/// go: `main.go:3:8: found packages a (a.go) and c (y_test.go) in …/a`
/// (exit 1): a test file's package clause must be the package's name or
/// that name with `_test`, even though no test is built.
#[test]
fn test_file_with_a_third_package_name() {
    let t = Tree::module("test-third-name");
    t.write("main.go", "package main\n\nimport _ \"example.com/m/a\"\n\nfunc main() {}\n");
    t.write("a/a.go", "package a\n");
    t.write("a/x_test.go", "package a_test\n");
    t.write("a/y_test.go", "package c\n");
    t.heft(&["deps", "."]).exits(1).stderr_has("found packages a (a.go) and c (y_test.go)");
    // `p` and `p_test` alone are fine, in any order of names.
    fs::remove_file(t.path("a/y_test.go")).unwrap();
    t.write("a/0_test.go", "package a_test\n");
    t.heft(&["deps", "."]).exits(0);
}

/// go: `malformed import path "example.com/m/d\xff": invalid UTF-8` (exit
/// 1; with -e the path is listed): `./...` does not skip a package
/// directory whose name is not UTF-8.
#[cfg(unix)]
#[test]
fn wildcard_over_a_directory_whose_name_is_not_utf8() {
    use std::os::unix::ffi::OsStrExt;
    let t = Tree::module("wildcard-not-utf8");
    t.write("main.go", "package main\n\nfunc main() {}\n");
    let dir = t.root.join(std::ffi::OsStr::from_bytes(b"d\xff"));
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("d.go"), "package d\n").unwrap();
    t.heft(&["deps", "./..."]).exits(1).stderr_has(r#"malformed import path "example.com/m/d\xff": invalid UTF-8"#);
    t.heft(&["deps", "-e", "./..."]).exits(0);
}
