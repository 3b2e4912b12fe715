//! Building with the overlay probe and running under a timeout.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use crate::attrib::{self, Retained};
use crate::parse::{self, InitLine};
use crate::{BinaryMeasure, MeasureError, Options, PackageMeasure};

const RUNTIME_PROBE: &str = include_str!("go/runtime_probe.go");
const MAIN_PROBE: &str = include_str!("go/main_probe.go");
/// Sorts after any ordinary Go file name, so the probe's init runs last.
const MAIN_PROBE_NAME: &str = "zzzzzzzz_heft_measure_probe.go";
const RUNTIME_PROBE_NAME: &str = "zzzzzzzz_heft_measure_probe.go";

/// A main package to measure.
#[derive(Debug, Clone)]
pub struct MainPackage {
    /// Its import path.
    pub import_path: String,
    /// Its directory.
    pub dir: PathBuf,
    /// Set when the package comes from a dependency in the module cache,
    /// where `go build -overlay` may not add the probe.
    pub cached_module: Option<CachedModule>,
}

/// A module of the build list as it sits in the module cache.
#[derive(Debug, Clone)]
pub struct CachedModule {
    /// The module path and version the build list selects (before any
    /// replacement).
    pub path: String,
    /// That version; with `path`, the left side of the `replace` directive
    /// that points the build at the mirrored module.
    pub version: String,
    /// Its directory in the module cache.
    pub dir: PathBuf,
}

/// What a measurement has running or on disk right now, so that an
/// interrupted heft can stop and remove it all ([`stop_everything`]).
static IN_FLIGHT: Mutex<InFlight> = Mutex::new(InFlight { groups: Vec::new(), dirs: Vec::new() });

struct InFlight {
    /// Measured programs still running.
    groups: Vec<Run>,
    /// Temporary directories not yet removed.
    dirs: Vec<PathBuf>,
}

/// A program running: its process group, and the mark its descendants
/// carry in their environment.
struct Run {
    group: u32,
    mark: String,
}

fn in_flight() -> std::sync::MutexGuard<'static, InFlight> {
    IN_FLIGHT.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Kills every measured program still running (its whole process group)
/// and removes every temporary directory: for a signal handler, before heft
/// exits on SIGINT or SIGTERM.
pub fn stop_everything() {
    let mut now = in_flight();
    for run in now.groups.drain(..) {
        kill_group(run.group, Signal::Kill);
        kill_escaped(&run.mark);
    }
    for dir in now.dirs.drain(..) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "heft-measure-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p)?;
        in_flight().dirs.push(p.clone());
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
        in_flight().dirs.retain(|d| *d != self.0);
    }
}

/// The go command in the measured directory, with the chosen cgo setting.
fn go_command(opts: &Options) -> Command {
    let mut cmd = Command::new(&opts.go);
    cmd.current_dir(&opts.dir).stdin(Stdio::null());
    if let Some(cgo) = opts.cgo {
        cmd.env("CGO_ENABLED", if cgo { "1" } else { "0" });
    }
    cmd
}

/// The flags `go list` and `go build` share: `-tags`.
fn build_flags(opts: &Options) -> Vec<String> {
    opts.tags.iter().map(|t| format!("-tags={t}")).collect()
}

fn go(opts: &Options, args: &[&str]) -> Result<String, MeasureError> {
    let out = go_command(opts)
        .args(args)
        .output()
        .map_err(|source| MeasureError::NoGo { go: opts.go.display().to_string(), source })?;
    if !out.status.success() {
        return Err(MeasureError::GoCommand {
            command: format!("go {}", args.join(" ")),
            stderr: String::from_utf8_lossy(&out.stderr).trim_end().to_string(),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The main packages matched by the patterns (`go list`).
pub fn main_packages(opts: &Options, patterns: &[String]) -> Result<Vec<MainPackage>, MeasureError> {
    // Name, import path, dir; then, for a module package: main, module
    // path, version, directory and the replacement's version (empty for a
    // directory replacement, which is not in the module cache).
    const FORMAT: &str = "{{.Name}}\t{{.ImportPath}}\t{{.Dir}}{{with .Module}}\t{{.Main}}\t{{.Path}}\t{{.Version}}\t{{.Dir}}\t{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}{{end}}";
    let mut out = Vec::new();
    for pat in patterns {
        let flags = build_flags(opts);
        let args: Vec<&str> =
            ["list"].into_iter().chain(flags.iter().map(String::as_str)).chain(["-f", FORMAT, pat]).collect();
        let text = go(opts, &args)?;
        let before = out.len();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 || f[0] != "main" {
                continue;
            }
            let cached_module = match f[3..] {
                ["false", path, version, dir, from_cache] if !from_cache.is_empty() => {
                    Some(CachedModule { path: path.to_string(), version: version.to_string(), dir: dir.into() })
                }
                _ => None,
            };
            out.push(MainPackage { import_path: f[1].to_string(), dir: f[2].into(), cached_module });
        }
        if out.len() == before {
            return Err(MeasureError::NoMain { pattern: pat.clone() });
        }
    }
    Ok(out)
}

/// A dependency's main package made buildable with the probe: the module
/// is mirrored in `tmp` (links to the module cache, real directories down
/// to the package, so the probe can be added there) and an alternate
/// go.mod — the main module's, plus a replacement by the mirror — keeps the
/// build list as it is (a directory replacement reads the same go.mod).
/// Returns the package's directory in the mirror and the `-modfile` flag.
fn stage_dependency(
    opts: &Options,
    tmp: &Path,
    pkg: &MainPackage,
    module: &CachedModule,
) -> Result<(PathBuf, String), MeasureError> {
    if !go(opts, &["env", "GOWORK"])?.trim().is_empty() {
        return Err(MeasureError::DependencyInWorkspace { package: pkg.import_path.clone() });
    }
    let gomod = PathBuf::from(go(opts, &["env", "GOMOD"])?.trim());
    let root = tmp.join("module");
    let rel = pkg.dir.strip_prefix(&module.dir).unwrap_or(Path::new(""));
    mirror(&module.dir, &root, rel)?;
    if !root.join("go.mod").exists() {
        // A module from before go.mod files: the go command synthesizes one.
        std::fs::write(root.join("go.mod"), format!("module {}\n", module.path))?;
    }
    let mut modfile = std::fs::read_to_string(&gomod)?;
    modfile.push_str(&format!("\nreplace {} {} => {}\n", module.path, module.version, root.display()));
    let alt = tmp.join("go.mod");
    std::fs::write(&alt, modfile)?;
    if let Ok(sum) = std::fs::read(gomod.with_file_name("go.sum")) {
        std::fs::write(tmp.join("go.sum"), sum)?;
    }
    Ok((root.join(rel), format!("-modfile={}", alt.display())))
}

/// Recreates `from` at `to`: real directories along `path`, links to
/// everything else.
fn mirror(from: &Path, to: &Path, path: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    let mut components = path.components();
    let next = components.next().map(|c| c.as_os_str().to_owned());
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if Some(&name) == next.as_ref() {
            mirror(&entry.path(), &to.join(&name), components.as_path())?;
        } else {
            link(&entry.path(), &to.join(&name))?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(not(unix))]
fn link(target: &Path, at: &Path) -> std::io::Result<()> {
    if target.is_dir() { mirror(target, at, Path::new("")) } else { std::fs::copy(target, at).map(|_| ()) }
}

/// Output of one run.
pub(crate) struct RunOutput {
    /// Everything the program wrote on stderr ([`Keep::All`]), or only the
    /// lines that may be gctrace ([`Keep::GcLinesAndTail`]).
    pub stderr: String,
    /// The same for stdout.
    pub stdout: String,
    /// With [`Keep::GcLinesAndTail`], the last lines of stderr that are
    /// not gctrace.
    pub stderr_tail: String,
    /// With [`Keep::GcLinesAndTail`], the last lines of stdout.
    pub stdout_tail: String,
    /// How it ended; `None` when it could not be reaped.
    pub status: Option<std::process::ExitStatus>,
    /// It was still running at the deadline and was stopped.
    pub timed_out: bool,
    /// From the start to the end of the process.
    pub elapsed: Duration,
    /// Peak resident set size, bytes (`ru_maxrss` of `wait4`: the process
    /// and the children it waited for); `None` where not known.
    pub max_rss: Option<u64>,
}

/// What a reader keeps of a pipe.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Keep {
    /// Everything (`heft measure`: the program runs its init only).
    All,
    /// The lines that may be gctrace lines (containing `gc `) and the last
    /// N other lines, so that a long-running program's output does not
    /// pile up in memory (`heft gc`).
    GcLinesAndTail(usize),
}

/// What a reader kept.
#[derive(Default)]
struct Captured {
    text: String,
    tail: String,
}

/// Longest line a [`Keep::GcLinesAndTail`] reader keeps whole (a gctrace
/// line is about 200 bytes); the rest of a longer line is dropped.
const MAX_LINE: usize = 4096;

/// Reads one line (up to and without its newline) into `line`, keeping at
/// most [`MAX_LINE`] bytes of it; `false` at the end of the input.
fn read_line_capped(r: &mut impl std::io::BufRead, line: &mut Vec<u8>) -> std::io::Result<bool> {
    line.clear();
    let mut any = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(any);
        }
        any = true;
        let (chunk, used, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        r.consume(used);
        if done {
            return Ok(true);
        }
    }
}

/// Reads a pipe to its end on a thread; the result comes through a channel so
/// that a grandchild still holding the pipe open cannot hang heft.
fn spawn_reader<R: Read + Send + 'static>(r: Option<R>, keep: Keep) -> mpsc::Receiver<Captured> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut got = Captured::default();
        match (r, keep) {
            (None, _) => {}
            (Some(mut r), Keep::All) => {
                let mut buf = Vec::new();
                let _ = r.read_to_end(&mut buf);
                got.text = String::from_utf8_lossy(&buf).into_owned();
            }
            (Some(r), Keep::GcLinesAndTail(n)) => {
                let mut r = std::io::BufReader::new(r);
                let mut line = Vec::new();
                let mut tail = std::collections::VecDeque::with_capacity(n + 1);
                while let Ok(true) = read_line_capped(&mut r, &mut line) {
                    let text = String::from_utf8_lossy(&line);
                    if text.contains("gc ") {
                        got.text.push_str(&text);
                        got.text.push('\n');
                        continue;
                    }
                    tail.push_back(text.into_owned());
                    if tail.len() > n {
                        tail.pop_front();
                    }
                }
                got.tail = Vec::from(tail).join("\n");
            }
        }
        let _ = tx.send(got);
    });
    rx
}

/// A signal heft sends to a measured program's process group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Signal {
    /// SIGQUIT: a Go program prints every goroutine's stack and exits.
    Quit,
    /// SIGTERM: the polite request to stop.
    Term,
    /// SIGKILL.
    Kill,
}

/// Sends `signal` to every process of a measured program's process group.
#[cfg(unix)]
fn kill_group(group: u32, signal: Signal) {
    let sig = match signal {
        Signal::Quit => libc::SIGQUIT,
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    if let Ok(group) = libc::pid_t::try_from(group) {
        // SAFETY: kill(2) takes plain integers; a negative pid names a process group.
        unsafe { libc::kill(-group, sig) };
    }
}

#[cfg(not(unix))]
fn kill_group(_group: u32, _signal: Signal) {}

/// The variable, set in a run program's environment, by which its
/// descendants are found when they have left its process group.
const RUN_MARK: &str = "HEFT_RUN";

/// A new run's mark: `<heft's pid>.<n>`, unique on the machine while heft
/// runs.
fn run_mark() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!("{}.{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// Kills what a run started that left its process group (`setsid`, a
/// daemon's double fork): every process whose environment still carries
/// the run's mark, until none is left (orphans are found as their parents
/// die).
#[cfg(target_os = "linux")]
fn kill_escaped(mark: &str) {
    let needle = format!("{RUN_MARK}={mark}\0").into_bytes();
    let me = std::process::id();
    for _ in 0..50 {
        let Ok(procs) = std::fs::read_dir("/proc") else { return };
        let mut found = false;
        for pid in procs.flatten().filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok()) {
            if pid as u32 == me {
                continue;
            }
            let Ok(env) = std::fs::read(format!("/proc/{pid}/environ")) else { continue };
            if env.windows(needle.len()).any(|w| w == needle.as_slice()) {
                found = true;
                // SAFETY: kill(2) takes plain integers.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
        if !found {
            return;
        }
        thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(not(target_os = "linux"))]
fn kill_escaped(_mark: &str) {}

/// Waits for the child (without blocking unless `block`) with `wait4`, for
/// its exit status and its peak RSS in bytes.
#[cfg(unix)]
fn reap(child: &mut Child, block: bool) -> std::io::Result<Option<(std::process::ExitStatus, Option<u64>)>> {
    use std::os::unix::process::ExitStatusExt;
    let pid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
    let mut status: libc::c_int = 0;
    // SAFETY: rusage is plain integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: wait4 writes only through the two pointers, both valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, if block { 0 } else { libc::WNOHANG }, &mut usage) };
        if r == 0 {
            return Ok(None);
        }
        if r == pid {
            // Linux counts ru_maxrss in KiB, macOS in bytes.
            let unit = if cfg!(target_vendor = "apple") { 1 } else { 1024 };
            let rss = u64::try_from(usage.ru_maxrss).ok().filter(|&n| n > 0).map(|n| n.saturating_mul(unit));
            return Ok(Some((std::process::ExitStatus::from_raw(status), rss)));
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

#[cfg(not(unix))]
fn reap(child: &mut Child, block: bool) -> std::io::Result<Option<(std::process::ExitStatus, Option<u64>)>> {
    if block { child.wait().map(|s| Some((s, None))) } else { Ok(child.try_wait()?.map(|s| (s, None))) }
}

/// How a measured program is run and stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Supervision {
    /// Stop it when it runs this long (a duration too long to represent is
    /// no deadline at all).
    pub deadline: Duration,
    /// Sent to its process group at the deadline.
    pub stop: Signal,
    /// How long it has to exit after `stop`, before SIGKILL.
    pub grace: Duration,
    /// What to keep of its output.
    pub keep: Keep,
}

/// Runs `cmd` in a process group of its own, under `sup`, registered in
/// [`IN_FLIGHT`] until it and everything it started are gone.
pub(crate) fn run_supervised(mut cmd: Command, program: &str, sup: Supervision) -> Result<RunOutput, MeasureError> {
    // Its own process group, so that whatever it starts (children during
    // init, a shell's grandchildren) is stopped with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Registered before a signal handler can look: the lock is held from
    // the spawn to the registration.
    let (mut child, mark): (Child, String) = {
        let mut now = in_flight();
        let mark = run_mark();
        cmd.env(RUN_MARK, &mark);
        let child = cmd.spawn().map_err(|source| MeasureError::Spawn { program: program.to_string(), source })?;
        now.groups.push(Run { group: child.id(), mark: mark.clone() });
        (child, mark)
    };
    let start = Instant::now();
    let out_t = spawn_reader(child.stdout.take(), sup.keep);
    let err_t = spawn_reader(child.stderr.take(), sup.keep);
    let deadline = start.checked_add(sup.deadline);
    let mut timed_out = false;
    let ended = loop {
        if let Some(r) = reap(&mut child, false)? {
            break Some(r);
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            timed_out = true;
            kill_group(child.id(), sup.stop);
            let grace = Instant::now() + sup.grace;
            let mut done = None;
            while done.is_none() && Instant::now() < grace {
                done = reap(&mut child, false)?;
                if done.is_none() {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            if done.is_none() {
                kill_group(child.id(), Signal::Kill);
                done = reap(&mut child, true).ok().flatten();
            }
            break done;
        }
        thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    // Nothing it started outlives it, nor keeps its pipes open.
    kill_group(child.id(), Signal::Kill);
    kill_escaped(&mark);
    in_flight().groups.retain(|r| r.group != child.id());
    let stdout = out_t.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let stderr = err_t.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let (status, max_rss) = ended.map_or((None, None), |(s, rss)| (Some(s), rss));
    Ok(RunOutput {
        stderr: stderr.text,
        stdout: stdout.text,
        stderr_tail: stderr.tail,
        stdout_tail: stdout.tail,
        status,
        timed_out,
        elapsed,
        max_rss,
    })
}

fn run_with_timeout(cmd: Command, program: &str, timeout: Duration) -> Result<RunOutput, MeasureError> {
    // SIGQUIT makes a Go program print every goroutine's stack (which
    // names the initializer it is stuck in) and exit.
    let sup = Supervision { deadline: timeout, stop: Signal::Quit, grace: Duration::from_secs(2), keep: Keep::All };
    run_supervised(cmd, program, sup)
}

/// The package whose initializer a Go traceback (panic or SIGQUIT dump)
/// shows, preferring goroutine 1 (the one running package inits).
fn initializing_from_traceback(stderr: &str) -> Option<String> {
    let sections: Vec<&str> = stderr.split("\n\n").collect();
    let main_first = sections.iter().filter(|s| s.trim_start().starts_with("goroutine 1 [")).chain(sections.iter());
    for s in main_first {
        for line in s.lines() {
            if line.starts_with('\t') || line.starts_with(' ') {
                continue;
            }
            let func = line.rsplit_once('(').map_or(line, |(f, _)| f);
            if let Some(p) = attrib::init_package(func)
                && p != "runtime"
            {
                return Some(p);
            }
        }
    }
    None
}

fn describe_initializing(stderr: &str, inits: &[InitLine]) -> String {
    if let Some(p) = initializing_from_traceback(stderr) {
        return p;
    }
    if stderr.lines().any(|l| l.starts_with("main.main(")) {
        return "no package (init had finished: main.main was running)".to_string();
    }
    match inits.last() {
        Some(l) => format!("the package initialized after {} (the last inittrace line)", l.package),
        None => "an unknown package (no inittrace line was printed)".to_string(),
    }
}

fn tail(s: &str, lines: usize) -> String {
    let v: Vec<&str> = s.lines().filter(|l| !l.starts_with(parse::PROBE_PREFIX)).collect();
    let start = v.len().saturating_sub(lines);
    v[start..].join("\n")
}

fn output_for_error(o: &RunOutput) -> String {
    let mut s = String::new();
    let out = tail(&o.stdout, 20);
    if !out.is_empty() {
        s.push_str("--- stdout (tail) ---\n");
        s.push_str(&out);
        s.push('\n');
    }
    s.push_str("--- stderr (tail) ---\n");
    s.push_str(&tail(&o.stderr, 40));
    s
}

pub(crate) fn godebug(extra: &str) -> String {
    match std::env::var("GODEBUG") {
        Ok(v) if !v.is_empty() => format!("{v},{extra}"),
        _ => extra.to_string(),
    }
}

/// Builds `pkg` with the probe overlay and runs it `opts.runs` times.
pub fn measure_main(opts: &Options, pkg: &MainPackage) -> Result<Vec<BinaryMeasure>, MeasureError> {
    let tmp = TempDir::new()?;
    let goroot = go(opts, &["env", "GOROOT"])?.trim().to_string();
    let rt_src = tmp.0.join("runtime_probe.go");
    let main_src = tmp.0.join("main_probe.go");
    std::fs::write(&rt_src, RUNTIME_PROBE)?;
    std::fs::write(&main_src, MAIN_PROBE)?;
    let mut replace = BTreeMap::new();
    replace.insert(
        Path::new(&goroot).join("src").join("runtime").join(RUNTIME_PROBE_NAME).display().to_string(),
        rt_src.display().to_string(),
    );
    let (probe_dir, modfile) = match &pkg.cached_module {
        Some(module) => {
            let (dir, flag) = stage_dependency(opts, &tmp.0, pkg, module)?;
            (dir, Some(flag))
        }
        None => (pkg.dir.clone(), None),
    };
    let modfile = modfile.as_deref();
    replace.insert(probe_dir.join(MAIN_PROBE_NAME).display().to_string(), main_src.display().to_string());
    let overlay = tmp.0.join("overlay.json");
    std::fs::write(&overlay, serde_json::json!({ "Replace": replace }).to_string())?;
    let overlay_s = overlay.display().to_string();
    let exe = tmp.0.join(if cfg!(windows) { "probe.exe" } else { "probe" });
    let exe_s = exe.display().to_string();

    let flags = build_flags(opts);
    // The build and the two dependency listings run side by side.
    let (build, deps) = std::thread::scope(|scope| {
        let deps = scope.spawn(|| -> Result<(usize, Vec<String>), MeasureError> {
            // What the probe alone brings in (expected: nothing).
            let list = |extra: &[&str]| {
                let args: Vec<&str> = ["list", "-deps"]
                    .into_iter()
                    .chain(modfile)
                    .chain(flags.iter().map(String::as_str))
                    .chain(extra.iter().copied())
                    .collect();
                go(opts, &args)
            };
            let plain = list(&[&pkg.import_path])?;
            let with = list(&["-overlay", &overlay_s, &pkg.import_path])?;
            let plain: BTreeSet<&str> = plain.lines().collect();
            let probe_only = with.lines().filter(|l| !plain.contains(l)).map(String::from).collect();
            Ok((plain.len(), probe_only))
        });
        let build = go_command(opts)
            .arg("build")
            .args(modfile)
            .args(&flags)
            .args(["-overlay", &overlay_s, "-o", &exe_s, &pkg.import_path])
            .current_dir(&opts.dir)
            .stdin(Stdio::null())
            .output();
        (build, deps.join())
    });
    let build = build.map_err(|source| MeasureError::NoGo { go: opts.go.display().to_string(), source })?;
    if !build.status.success() {
        return Err(MeasureError::Build {
            package: pkg.import_path.clone(),
            stderr: String::from_utf8_lossy(&build.stderr).trim_end().to_string(),
        });
    }
    let (package_count, probe_only) = deps.unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    let binary_size = std::fs::metadata(&exe)?.len();

    let mut runs = Vec::new();
    for _ in 0..opts.runs.max(1) {
        let mut cmd = Command::new(&exe);
        cmd.current_dir(&opts.dir).env("GODEBUG", godebug("inittrace=1")).env("GOTRACEBACK", "all");
        let o = run_with_timeout(cmd, &pkg.import_path, opts.timeout)?;
        let mut m = measure_output(&pkg.import_path, &o, opts.timeout)?;
        m.binary_size = binary_size;
        m.package_count = Some(package_count as u64);
        m.probe_only_packages = probe_only.clone();
        runs.push(m);
    }
    Ok(runs)
}

/// Milliseconds to the microsecond (inittrace's own precision), without float noise.
fn round_ms(ms: f64) -> f64 {
    (ms * 1000.0).round() / 1000.0
}

/// The inittrace lines of a run, one per package, and what could not be
/// read or attributed with certainty.
fn read_inittrace(stderr: &str) -> (Vec<InitLine>, Vec<String>) {
    let trace = parse::parse_inittrace(stderr);
    let (lines, mut warnings) = one_line_per_package(trace.lines);
    warnings.extend(
        trace
            .unread
            .iter()
            .map(|(n, text)| format!("stderr line {n} looks like inittrace but does not read as it: {text:?}")),
    );
    if trace.lost > 0 {
        warnings.push(format!(
            "{} inittrace line(s) were cut up by the program's own output and could not be read (stderr holds that \
             many more \" allocs\" than lines read, counting any the program prints itself): their packages are missing",
            trace.lost
        ));
    }
    (lines, warnings)
}

/// A package initializes once per process, so it has one inittrace line;
/// several (a child re-executed during init sharing stderr, or an init
/// printing a line that looks like one) leave its numbers uncertain. The
/// last line is kept (a line printed by a package's own init comes before
/// the runtime's line for it) and a warning says so.
fn one_line_per_package(inits: Vec<InitLine>) -> (Vec<InitLine>, Vec<String>) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for l in &inits {
        *seen.entry(l.package.clone()).or_default() += 1;
    }
    let mut warnings: Vec<String> = seen
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|(p, n)| format!("{p}: {n} inittrace lines (a child process or the program's own output?); kept the last"))
        .collect();
    warnings.sort();
    let mut kept: Vec<InitLine> = Vec::with_capacity(seen.len());
    for l in inits.into_iter().rev() {
        if !kept.iter().any(|k| k.package == l.package) {
            kept.push(l);
        }
    }
    kept.reverse();
    (kept, warnings)
}

fn init_packages(inits: &[InitLine]) -> Vec<PackageMeasure> {
    inits
        .iter()
        .map(|l| PackageMeasure {
            path: l.package.clone(),
            init_bytes: l.bytes,
            init_allocs: l.allocs,
            init_clock_ms: l.clock_ms,
            init_traced: true,
            ..Default::default()
        })
        .collect()
}

/// How a program that did not finish its init ended: `panicked`, `stopped
/// with a fatal error (...)`, `exited with status N`, `was killed by a signal`.
fn how_it_failed(o: &RunOutput) -> String {
    // A fatal runtime error (out of memory, a deadlock) says what it is
    // on one line, which a long goroutine dump pushes out of the tail.
    let fatal = o.stderr.lines().find_map(|l| l.strip_prefix("fatal error: "));
    match (o.status.and_then(|s| s.code()), fatal) {
        (_, Some(fatal)) => format!("stopped with a fatal error ({fatal})"),
        (Some(2), None) if o.stderr.contains("panic: ") => "panicked".to_string(),
        (Some(c), None) => format!("exited with status {c}"),
        (None, None) => "was killed by a signal".to_string(),
    }
}

fn measure_output(program: &str, o: &RunOutput, timeout: Duration) -> Result<BinaryMeasure, MeasureError> {
    let perr = |source| MeasureError::Parse { program: program.to_string(), source };
    let (inits, warnings) = read_inittrace(&o.stderr);
    if o.timed_out {
        return Err(MeasureError::Timeout {
            program: program.to_string(),
            seconds: timeout.as_secs(),
            initializing: describe_initializing(&o.stderr, &inits),
            output: output_for_error(o),
        });
    }
    let probe = parse::parse_probe(&o.stderr).map_err(perr)?;
    let Some(probe) = probe else {
        return Err(MeasureError::InitFailed {
            program: program.to_string(),
            what: how_it_failed(o),
            initializing: describe_initializing(&o.stderr, &inits),
            output: output_for_error(o),
        });
    };
    let a = attrib::attribute(&probe.records);
    let mut packages = init_packages(&inits);
    let mut index: BTreeMap<String, usize> = packages.iter().enumerate().map(|(i, p)| (p.path.clone(), i)).collect();
    let mut slot = |path: &str, packages: &mut Vec<PackageMeasure>| -> usize {
        *index.entry(path.to_string()).or_insert_with(|| {
            packages.push(PackageMeasure { path: path.to_string(), ..Default::default() });
            packages.len() - 1
        })
    };
    for (path, Retained { bytes, objects }) in &a.allocated_by {
        let i = slot(path, &mut packages);
        packages[i].retained_bytes = *bytes;
        packages[i].retained_objects = *objects;
    }
    for (path, Retained { bytes, objects }) in &a.during_init_of {
        let i = slot(path, &mut packages);
        packages[i].retained_init_bytes = *bytes;
        packages[i].retained_init_objects = *objects;
    }
    Ok(BinaryMeasure {
        package: program.to_string(),
        mode: "probe".into(),
        runs: 1,
        binary_size: 0,
        package_count: None,
        probe_only_packages: vec![],
        heap_live: Some(probe.mem.heap_alloc),
        heap_objects: Some(probe.mem.heap_objects),
        mallocs: Some(probe.mem.mallocs),
        total_alloc: Some(probe.mem.total_alloc),
        sys: Some(probe.mem.sys),
        init_bytes: inits.iter().map(|l| l.bytes).fold(0, u64::saturating_add),
        init_allocs: inits.iter().map(|l| l.allocs).fold(0, u64::saturating_add),
        init_clock_ms: round_ms(inits.iter().map(|l| l.clock_ms).sum()),
        gc_count: None,
        gc_last_live_mb: None,
        ended: None,
        warnings,
        packages,
    })
}

/// Runs a prebuilt binary with inittrace and gctrace under the timeout
/// (the whole program runs, main included) and reports what can be known
/// without the probe: per-package init bytes, allocs and clock, and the
/// collections gctrace saw. A relative `path` is a file in `opts.dir` (never
/// looked up in PATH). The trace lines are read among the program's own
/// output ([`parse::parse_inittrace`], [`parse::read_gctrace`]): a line that
/// does not read is a warning, never a failed run.
pub fn measure_binary(opts: &Options, path: &Path, args: &[String]) -> Result<Vec<BinaryMeasure>, MeasureError> {
    let program = path.display().to_string();
    let file = std::path::absolute(opts.dir.join(path))
        .map_err(|source| MeasureError::Spawn { program: program.clone(), source })?;
    let size =
        std::fs::metadata(&file).map_err(|source| MeasureError::Spawn { program: program.clone(), source })?.len();
    let mut runs = Vec::new();
    for _ in 0..opts.runs.max(1) {
        let mut cmd = Command::new(&file);
        cmd.args(args).current_dir(&opts.dir).env("GODEBUG", godebug("inittrace=1,gctrace=1"));
        let o = run_with_timeout(cmd, &program, opts.timeout)?;
        let (inits, mut warnings) = read_inittrace(&o.stderr);
        let gc = parse::read_gctrace(&o.stderr);
        if inits.is_empty() {
            return Err(MeasureError::NotGo { program, output: output_for_error(&o) });
        }
        // A program still running main.main at the timeout (a server) has
        // finished its init: its inittrace is complete and is reported.
        let in_main = o.stderr.lines().any(|l| l.starts_with("main.main("));
        if o.timed_out && !in_main {
            if initializing_from_traceback(&o.stderr).is_some() || !ignored_quit(&o) {
                return Err(MeasureError::Timeout {
                    program,
                    seconds: opts.timeout.as_secs(),
                    initializing: describe_initializing(&o.stderr, &inits),
                    output: output_for_error(&o),
                });
            }
            warnings.push(format!(
                "the program ignored SIGQUIT at the timeout ({} s) and printed no stacks: whether its init had \
                 finished is not known (its last inittrace line: {})",
                opts.timeout.as_secs(),
                inits.last().map_or("none", |l| l.package.as_str())
            ));
        }
        // A panic or fatal error in a package initializer: its init never
        // finished, the packages after it are missing.
        if !o.timed_out
            && !in_main
            && o.status.is_some_and(|s| !s.success())
            && let Some(p) = initializing_from_traceback(&o.stderr)
        {
            return Err(MeasureError::InitFailed {
                program,
                what: how_it_failed(&o),
                initializing: p,
                output: output_for_error(&o),
            });
        }
        if !gc.unread.is_empty() {
            warnings.push(
                "gctrace lines cut by the program's own output could not be read; the GC count is the \
                 number of the last cycle read"
                    .to_string(),
            );
        }
        runs.push(BinaryMeasure {
            package: program.clone(),
            mode: "binary".into(),
            runs: 1,
            binary_size: size,
            package_count: None,
            probe_only_packages: vec![],
            heap_live: None,
            heap_objects: None,
            mallocs: None,
            total_alloc: None,
            sys: None,
            init_bytes: inits.iter().map(|l| l.bytes).fold(0, u64::saturating_add),
            init_allocs: inits.iter().map(|l| l.allocs).fold(0, u64::saturating_add),
            init_clock_ms: round_ms(inits.iter().map(|l| l.clock_ms).sum()),
            // gctrace numbers its cycles from 1: the last number read
            // counts the cycles whose line was lost too.
            gc_count: Some(gc.lines.iter().map(|g| g.number).max().unwrap_or(0)),
            gc_last_live_mb: gc.lines.last().map(|g| g.heap_live_mb),
            ended: how_it_ended(&o, opts.timeout),
            warnings,
            packages: init_packages(&inits),
        });
    }
    Ok(runs)
}

/// The program was stopped at the timeout and printed no goroutine dump
/// for SIGQUIT (it ignores or handles the signal): it was killed.
fn ignored_quit(o: &RunOutput) -> bool {
    !o.stderr.lines().any(|l| l == "SIGQUIT: quit")
}

/// How a prebuilt program ended, when not with status 0.
fn how_it_ended(o: &RunOutput, timeout: Duration) -> Option<String> {
    if o.timed_out {
        return Some(format!("still running after {} s, killed", timeout.as_secs()));
    }
    let panic = o.stderr.lines().find(|l| l.starts_with("panic: ") || l.starts_with("fatal error: "));
    match (o.status.and_then(|s| s.code()), panic) {
        (Some(0), _) => None,
        (Some(code), Some(line)) => Some(format!("exited with status {code}: {line}")),
        (Some(code), None) => Some(format!("exited with status {code}")),
        (None, _) => Some("killed by a signal".to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traceback_names_the_initializer() {
        let panic = "panic: boom\n\ngoroutine 1 [running]:\nexample.com/x/bad.init.0()\n\t/x/bad.go:5 +0x25\n";
        assert_eq!(initializing_from_traceback(panic).as_deref(), Some("example.com/x/bad"));
        let dump = "SIGQUIT: quit\n\ngoroutine 5 [running]:\nother.f()\n\ngoroutine 1 [sleep]:\ntime.Sleep(0x1)\n\t/t.go:1\nexample.com/x/hang.init()\n\t/h.go:3\n";
        assert_eq!(initializing_from_traceback(dump).as_deref(), Some("example.com/x/hang"));
        let running = "SIGQUIT: quit\n\ngoroutine 1 [sleep]:\ntime.Sleep(0x1)\n\t/t.go:1\nmain.main()\n\t/m.go:3\n";
        assert!(describe_initializing(running, &[]).contains("main.main was running"));
    }
}
