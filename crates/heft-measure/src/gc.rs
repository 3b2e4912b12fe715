//! `heft gc`: a program's natural live heap, GC rate and GC CPU under
//! `GODEBUG=gctrace=1`, and the memory limits they suggest.
//!
//! The program runs in a process group of its own (the machinery of
//! `heft measure --binary`), for a fixed time (`--for`, then SIGTERM and
//! SIGKILL after a grace) or until it exits (with a timeout). Its stderr is
//! read as it comes: gctrace lines are kept, the rest only as a short tail.
//! Peak RSS comes from `wait4`'s `ru_maxrss`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::MeasureError;
use crate::parse::{self, GcLine};
use crate::run::{self, Keep, Signal, Supervision};

/// `GOMEMLIMIT` from this factor of the natural heap...
pub const LOW_FACTOR: f64 = 1.3;
/// ... to this one.
pub const HIGH_FACTOR: f64 = 1.5;
/// The container limit is rounded up to a multiple of this many MiB.
pub const CONTAINER_ROUND_MIB: u64 = 16;
/// The sweet spot of a sweep: the smallest limit whose GC/min is at most
/// this factor times the largest limit's (and at most [`SWEET_SPOT_FLOOR`]
/// GC/min where the largest limit collects less often than that).
pub const SWEET_SPOT_FACTOR: f64 = 2.0;
/// See [`SWEET_SPOT_FACTOR`].
pub const SWEET_SPOT_FLOOR: f64 = 1.0;
/// After SIGTERM (at `--for` or the timeout), the program has this long
/// to exit before SIGKILL.
pub const GRACE: Duration = Duration::from_secs(3);

/// What to run and for how long.
#[derive(Debug, Clone)]
pub struct GcOptions {
    /// The program, as found ([`find_program`]).
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
    /// Run it this long, then stop it: a normal end (`--for`).
    pub run_for: Option<Duration>,
    /// Without `run_for`, stop it when it runs this long: an abnormal end.
    pub timeout: Duration,
    /// `GOGC` for the runs, when set (else the environment's).
    pub gogc: Option<String>,
}

/// Why `heft gc` could not measure.
#[derive(Debug, thiserror::Error)]
pub enum GcError {
    /// The command is not a file, or no directory of PATH has it.
    #[error("{name}: command not found ({why})")]
    NotFound {
        /// The command as given.
        name: String,
        /// Where it was looked for.
        why: String,
    },
    /// The program could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        /// The program's path.
        program: String,
        /// Why it could not be started.
        source: std::io::Error,
    },
    /// No gctrace line in the whole run (or in every run of a sweep).
    #[error(
        "{program}: ran {seconds:.2} s and never collected garbage{how}: heft gc needs the program's real \
         workload: use --for with a running server or give it work (no gctrace line at all: \
         a Go program that did too little, or not a Go program){output}"
    )]
    NoGc {
        /// The program's path.
        program: String,
        /// How long it ran.
        seconds: f64,
        /// How it ended, when not a plain exit 0 (`, exited with status 1`).
        how: String,
        /// The tails of its stdout and stderr on lines of their own (empty
        /// when it printed nothing).
        output: String,
    },
    /// Waiting for the program failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

impl From<MeasureError> for GcError {
    fn from(e: MeasureError) -> GcError {
        match e {
            MeasureError::Spawn { program, source } => GcError::Spawn { program, source },
            MeasureError::Io(e) => GcError::Io(e),
            other => GcError::Io(std::io::Error::other(other.to_string())),
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "how", rename_all = "camelCase")]
pub enum Ended {
    /// It exited by itself with this status.
    Exited {
        /// The exit status.
        code: i32,
    },
    /// A signal heft did not send killed it.
    Signaled {
        /// The signal's number.
        signal: i32,
    },
    /// heft stopped it at `--for`: the normal end of a timed run.
    Stopped,
    /// heft stopped it at `--timeout`.
    TimedOut,
    /// It could not be reaped.
    Unknown,
}

impl Ended {
    /// The run ended as asked: exit 0, or stopped at `--for`.
    pub fn normal(self) -> bool {
        matches!(self, Ended::Exited { code: 0 } | Ended::Stopped)
    }

    /// In words, after "the program": `exited with status 1`.
    pub fn describe(self, seconds: f64) -> String {
        match self {
            Ended::Exited { code } => format!("exited with status {code}"),
            Ended::Signaled { signal } => format!("was killed by signal {signal}"),
            Ended::Stopped => format!("was stopped after {seconds:.1} s (--for)"),
            Ended::TimedOut => format!("was still running at the timeout ({seconds:.0} s) and was stopped"),
            Ended::Unknown => "ended in a way heft could not see".to_string(),
        }
    }
}

/// One run of the program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GcRun {
    /// `GOMEMLIMIT` of the run as written (set by a sweep, or inherited
    /// from the environment); `None`: no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gomemlimit: Option<String>,
    /// The same in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_bytes: Option<u64>,
    /// `GOGC` of the run (`--gogc`, a sweep's `off`, or the environment's);
    /// `None`: the default, 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gogc: Option<String>,
    /// Wall-clock seconds from start to end.
    pub seconds: f64,
    /// How it ended.
    pub ended: Ended,
    /// Collections the runtime started (heap growth or the memory limit).
    pub gcs: u64,
    /// Collections `runtime.GC()` forced: not in `gc_per_minute`.
    pub forced_gcs: u64,
    /// `gcs` per minute of the run.
    pub gc_per_minute: f64,
    /// Median of the live heap after each GC, MiB (gctrace's third heap
    /// number, all collections).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub natural_heap_median_mib: Option<f64>,
    /// Largest live heap after a GC, MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub natural_heap_peak_mib: Option<u64>,
    /// Largest heap in use at the start of a GC, MiB (gctrace's first heap
    /// number): the peak the heap reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_heap_mib: Option<u64>,
    /// Share of the program's time spent in GC since it started, percent
    /// (the last gctrace line's `#%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gc_cpu_percent: Option<f64>,
    /// Peak resident set size, bytes (`wait4`'s `ru_maxrss`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_rss_bytes: Option<u64>,
    /// Lines that started like gctrace but did not read (another write cut
    /// into them); skipped.
    #[serde(default)]
    pub unread_gc_lines: u64,
    /// The tails of the program's stdout and stderr, for messages.
    #[serde(skip)]
    pub output: String,
}

/// `GOMEMLIMIT` and the container limit from the measured natural heap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Advice {
    /// The natural heap used: the largest live heap after a GC, MiB.
    pub natural_heap_mib: u64,
    /// In a sweep, the limit of the run the advice comes from (the largest:
    /// the least GC pressure, where the live heap is the program's own).
    #[serde(default)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_limit: Option<String>,
    /// [`LOW_FACTOR`] and [`HIGH_FACTOR`].
    pub factors: [f64; 2],
    /// `GOMEMLIMIT` range, MiB: natural heap × factors, rounded up.
    pub gomemlimit_mib: [u64; 2],
    /// Memory beyond the heap: peak RSS − peak heap in use, MiB, rounded
    /// up (none when RSS is unknown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overhead_mib: Option<u64>,
    /// Container limit: the high `GOMEMLIMIT` + overhead, rounded up to a
    /// multiple of [`CONTAINER_ROUND_MIB`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub container_mib: Option<u64>,
}

/// What a sweep of memory limits found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sweep {
    /// `GOGC` of every run (`off` unless `--gogc`).
    pub gogc: String,
    /// [`SWEET_SPOT_FACTOR`].
    pub factor: f64,
    /// The GC/min a limit must not exceed to be the sweet spot.
    pub threshold_gc_per_minute: f64,
    /// The sweet spot's limit, as written; none when no limit qualifies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweet_spot: Option<String>,
    /// Limits at or below the natural heap: the GC would run without end
    /// (and the program outgrow the limit, or be OOM-killed in a container).
    pub below_natural_heap: Vec<String>,
}

/// What `heft gc` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GcReport {
    /// The command run, program first.
    pub command: Vec<String>,
    /// One run, or one per limit of a sweep, smallest limit first.
    pub runs: Vec<GcRun>,
    /// The sweep's verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<Sweep>,
    /// From the largest natural heap any run saw; none without a GC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<Advice>,
}

const MIB: u64 = 1 << 20;

/// Reads a size as `GOMEMLIMIT` does: a whole number of bytes with an
/// optional unit B, KiB, MiB, GiB or TiB (`128MiB`, `1GiB`, `134217728`).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(digits);
    let shift = match unit {
        "" | "B" => 0,
        "KiB" => 10,
        "MiB" => 20,
        "GiB" => 30,
        "TiB" => 40,
        _ => {
            return Err(format!(
                "{s:?}: a size as GOMEMLIMIT reads it: a whole number with B, KiB, MiB, GiB or TiB (128MiB)"
            ));
        }
    };
    let n: u64 = n.parse().map_err(|_| format!("{s:?}: a size starts with a whole number (128MiB)"))?;
    n.checked_mul(1 << shift).ok_or_else(|| format!("{s:?}: too large"))
}

/// Reads a duration: a number and a unit ms, s, m or h (`500ms`, `30s`,
/// `1.5m`, `1h`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let bad = || format!("{s:?}: a duration is a number and a unit ms, s, m or h (30s, 2m)");
    let at = s.find(|c: char| !c.is_ascii_digit() && c != '.').ok_or_else(bad)?;
    let (n, unit) = s.split_at(at);
    let n: f64 = n.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return Err(bad()),
    };
    Duration::try_from_secs_f64(seconds).ok().filter(|d| !d.is_zero()).ok_or_else(bad)
}

/// The program to run: a name with a `/` is a path, one without is looked
/// up in the directories of PATH, as a shell does.
pub fn find_program(name: &str) -> Result<PathBuf, GcError> {
    let not_found = |why: String| GcError::NotFound { name: name.to_string(), why };
    if name.contains('/') {
        let p = PathBuf::from(name);
        return if p.is_file() { Ok(p) } else { Err(not_found("no such file".into())) };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        let candidate = dir.join(name);
        if executable(&candidate) {
            return Ok(candidate);
        }
    }
    Err(not_found(format!("no executable of that name in the directories of PATH={}", path.to_string_lossy())))
}

#[cfg(unix)]
fn executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn executable(p: &Path) -> bool {
    p.is_file()
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Runs the program once, with `GOMEMLIMIT=limit` when given, and reads
/// its gctrace. A run without any GC is not an error here (see
/// [`no_gc_error`]).
pub fn run(opts: &GcOptions, limit: Option<&str>) -> Result<GcRun, GcError> {
    let program = opts.program.display().to_string();
    let mut cmd = Command::new(&opts.program);
    cmd.args(&opts.args).env("GODEBUG", run::godebug("gctrace=1"));
    if let Some(g) = &opts.gogc {
        cmd.env("GOGC", g);
    }
    if let Some(l) = limit {
        cmd.env("GOMEMLIMIT", l);
    }
    let sup = Supervision {
        deadline: opts.run_for.unwrap_or(opts.timeout),
        stop: Signal::Term,
        grace: GRACE,
        keep: Keep::GcLinesAndTail(20),
    };
    let o = run::run_supervised(cmd, &program, sup)?;
    let ended = match (o.timed_out, o.status) {
        (true, _) if opts.run_for.is_some() => Ended::Stopped,
        (true, _) => Ended::TimedOut,
        (false, Some(s)) => match (s.code(), signal_of(&s)) {
            (Some(code), _) => Ended::Exited { code },
            (None, Some(signal)) => Ended::Signaled { signal },
            (None, None) => Ended::Unknown,
        },
        (false, None) => Ended::Unknown,
    };
    let trace = parse::read_gctrace(&o.stderr);
    let gomemlimit = limit.map(String::from).or_else(|| env_value("GOMEMLIMIT"));
    let mut r = summarize(&trace.lines, o.elapsed.as_secs_f64(), ended);
    r.limit_bytes = gomemlimit.as_deref().and_then(|l| parse_size(l).ok());
    r.gomemlimit = gomemlimit;
    r.gogc = opts.gogc.clone().or_else(|| env_value("GOGC"));
    r.peak_rss_bytes = o.max_rss;
    r.unread_gc_lines = trace.unread.len() as u64;
    r.output = output_tail(&o.stdout_tail, &o.stderr_tail);
    Ok(r)
}

#[cfg(unix)]
fn signal_of(s: &std::process::ExitStatus) -> Option<i32> {
    std::os::unix::process::ExitStatusExt::signal(s)
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// The tails of the program's output (gctrace left out), each under a
/// heading; empty when it printed nothing else.
fn output_tail(stdout: &str, stderr: &str) -> String {
    let mut s = String::new();
    for (name, text) in [("stdout", stdout), ("stderr", stderr)] {
        if !text.trim().is_empty() {
            s.push_str(&format!("--- {name} (tail) ---\n{}\n", text.trim_end()));
        }
    }
    s.trim_end().to_string()
}

/// The numbers of a run from its gctrace lines (the rest of [`GcRun`]
/// left empty).
pub fn summarize(lines: &[GcLine], seconds: f64, ended: Ended) -> GcRun {
    let forced = lines.iter().filter(|l| l.forced).count() as u64;
    let gcs = lines.len() as u64 - forced;
    let mut live: Vec<u64> = lines.iter().map(|l| l.heap_live_mb).collect();
    live.sort_unstable();
    let median = match live.len() {
        0 => None,
        n if n % 2 == 1 => Some(live[n / 2] as f64),
        n => Some((live[n / 2 - 1] + live[n / 2]) as f64 / 2.0),
    };
    let gc_per_minute = if seconds > 0.0 { round2(gcs as f64 * 60.0 / seconds) } else { 0.0 };
    GcRun {
        gomemlimit: None,
        limit_bytes: None,
        gogc: None,
        seconds: round2(seconds),
        ended,
        gcs,
        forced_gcs: forced,
        gc_per_minute,
        natural_heap_median_mib: median,
        natural_heap_peak_mib: live.last().copied(),
        peak_heap_mib: lines.iter().map(|l| l.heap_before_mb.max(l.heap_after_mb)).max(),
        gc_cpu_percent: lines.last().map(|l| l.gc_cpu_percent),
        peak_rss_bytes: None,
        unread_gc_lines: 0,
        output: String::new(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The error for runs that never collected garbage: all of them.
pub fn no_gc_error(runs: &[GcRun], program: &str) -> Option<GcError> {
    if runs.iter().any(|r| r.gcs + r.forced_gcs > 0) {
        return None;
    }
    let r = runs.last()?;
    let how = match r.ended {
        Ended::Exited { code: 0 } => String::new(),
        e => format!(" (it {})", e.describe(r.seconds)),
    };
    let output = if r.output.is_empty() { String::new() } else { format!("\n{}", r.output) };
    Some(GcError::NoGc { program: program.to_string(), seconds: r.seconds, how, output })
}

/// `GOMEMLIMIT` and container limit from a run (of a sweep, the run at
/// the largest limit: under a tight limit the GC runs so often that what
/// is allocated during marking counts as live).
pub fn advice(runs: &[GcRun]) -> Option<Advice> {
    let sweep = runs.len() > 1;
    let runs = match reference_run(runs) {
        Some(r) if sweep => std::slice::from_ref(r),
        _ => runs,
    };
    let natural = runs.iter().filter_map(|r| r.natural_heap_peak_mib).max()?;
    let limit = |f: f64| (natural as f64 * f).ceil() as u64;
    let gomemlimit_mib = [limit(LOW_FACTOR), limit(HIGH_FACTOR)];
    let overhead_mib = runs
        .iter()
        .filter_map(|r| {
            let rss = r.peak_rss_bytes?;
            let heap = r.peak_heap_mib? * MIB;
            Some(rss.saturating_sub(heap).div_ceil(MIB))
        })
        .max();
    let container_mib =
        overhead_mib.map(|o| (gomemlimit_mib[1] + o).div_ceil(CONTAINER_ROUND_MIB) * CONTAINER_ROUND_MIB);
    Some(Advice {
        natural_heap_mib: natural,
        from_limit: if sweep { runs[0].gomemlimit.clone() } else { None },
        factors: [LOW_FACTOR, HIGH_FACTOR],
        gomemlimit_mib,
        overhead_mib,
        container_mib,
    })
}

/// Of a sweep, the run whose natural heap counts: the one at the largest
/// limit that collected at all.
fn reference_run(runs: &[GcRun]) -> Option<&GcRun> {
    runs.iter().filter(|r| r.natural_heap_peak_mib.is_some()).max_by_key(|r| r.limit_bytes)
}

/// The verdict of a sweep over `runs` (one per limit, smallest first). The
/// natural heap limits are held against is the reference run's peak: a
/// limit below it makes the GC run without end, and then what the program
/// allocates during marking counts as live, so those runs' own figures are
/// inflated.
pub fn sweep(runs: &[GcRun], gogc: &str) -> Sweep {
    let natural = reference_run(runs).and_then(|r| r.natural_heap_peak_mib);
    let below: Vec<&GcRun> =
        runs.iter().filter(|r| matches!((r.limit_bytes, natural), (Some(l), Some(n)) if l <= n * MIB)).collect();
    let largest = runs.iter().max_by_key(|r| r.limit_bytes.unwrap_or(0));
    let threshold = largest.map_or(0.0, |r| (r.gc_per_minute * SWEET_SPOT_FACTOR).max(SWEET_SPOT_FLOOR));
    let sweet = runs
        .iter()
        .filter(|r| !below.iter().any(|b| std::ptr::eq(*b, *r)))
        .filter(|r| r.ended.normal() && r.gc_per_minute <= threshold)
        .min_by_key(|r| r.limit_bytes.unwrap_or(u64::MAX));
    Sweep {
        gogc: gogc.to_string(),
        factor: SWEET_SPOT_FACTOR,
        threshold_gc_per_minute: round2(threshold),
        sweet_spot: sweet.and_then(|r| r.gomemlimit.clone()),
        below_natural_heap: below.iter().filter_map(|r| r.gomemlimit.clone()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u64, at: f64, before: u64, live: u64, forced: bool) -> GcLine {
        GcLine {
            number: n,
            at_s: at,
            gc_cpu_percent: 2.0,
            heap_before_mb: before,
            heap_after_mb: before + 1,
            heap_live_mb: live,
            goal_mb: live * 2,
            procs: 2,
            forced,
        }
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size("128MiB"), Ok(128 << 20));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("10B"), Ok(10));
        for bad in ["160M", "1.5GiB", "MiB", "", "-1MiB", "99999999999TiB"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5s"), Ok(Duration::from_millis(1500)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["30", "s", "0s", "1d", "1e9h", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_run_in_numbers() {
        let lines = [line(1, 0.1, 4, 4, false), line(2, 0.5, 130, 64, false), line(3, 1.0, 131, 66, false)];
        let mut forced = lines.to_vec();
        forced.push(line(4, 1.1, 70, 65, true));
        let r = summarize(&forced, 30.0, Ended::Exited { code: 0 });
        assert_eq!((r.gcs, r.forced_gcs, r.gc_per_minute), (3, 1, 6.0));
        assert_eq!((r.natural_heap_median_mib, r.natural_heap_peak_mib), (Some(64.5), Some(66)));
        assert_eq!((r.peak_heap_mib, r.gc_cpu_percent), (Some(132), Some(2.0)));
    }

    #[test]
    fn advice_from_the_natural_heap() {
        let mut r = summarize(&[line(1, 0.5, 130, 64, false)], 10.0, Ended::Stopped);
        r.peak_rss_bytes = Some(140 * MIB);
        let a = advice(&[r]).unwrap();
        assert_eq!(a.gomemlimit_mib, [84, 96]);
        // 131 MiB of heap at the peak, 140 MiB resident: 9 MiB beyond the heap.
        assert_eq!((a.overhead_mib, a.container_mib), (Some(9), Some(112)));
    }

    #[test]
    fn the_sweet_spot_is_the_smallest_limit_near_the_largest_limits_rate() {
        let at = |limit: &str, per_min: f64| {
            let mut r = summarize(&[line(1, 0.5, 100, 60, false)], 60.0, Ended::Exited { code: 0 });
            r.gomemlimit = Some(limit.into());
            r.limit_bytes = parse_size(limit).ok();
            r.gc_per_minute = per_min;
            r
        };
        let runs = [at("48MiB", 900.0), at("128MiB", 84.0), at("160MiB", 2.0), at("192MiB", 1.5)];
        let s = sweep(&runs, "off");
        assert_eq!(s.sweet_spot.as_deref(), Some("160MiB"));
        assert_eq!(s.below_natural_heap, ["48MiB"]);
        assert_eq!(s.threshold_gc_per_minute, 3.0);
    }
}
