//! `heft measure`: heap, allocations and time of package initialization.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use heft_measure::{BinaryMeasure, JSON_VERSION, MeasureError, Measurement, Options};

use crate::cli;

const LIMITS: &str = "\
How: each main package is built with `go build -overlay` into a temporary directory (nothing in
your tree changes; the build cache is your normal one). The overlay adds one file to package main
whose init runs after every other init: it forces two GCs, reads runtime.MemStats and the in-use
heap profile, prints them and exits before main.main; and one file to package runtime that sets
MemProfileRate = 1 before any package init. The probe imports only runtime, which every program
links. The binary runs with GODEBUG=inittrace=1, in -C DIR, with your environment.

Columns: heap = live heap at the end of init after GC; objects = live heap objects; mallocs and
total = cumulative since start; per package, init bytes/allocs/ms come from inittrace, retained
from the heap profile: 'retained' = live bytes allocated by the package (first frame outside the
runtime), 'during init' = live bytes allocated while the package's initializer was on the stack.

Limits: inittrace counts allocations by the init goroutine only, and it is total allocation, not
retained heap. Package main's own initializers have no inittrace line; they are in the probe's
totals. Clock is noisy (use --runs); bytes and allocs are not. The binary size includes the probe
(a few KB). --binary runs the whole program (main too) with inittrace and gctrace and reports
what can be known without the probe: no retained heap; a program still in main.main at the
timeout (a server) is killed and its init numbers are reported.";

#[derive(Args, Debug)]
#[command(after_long_help = LIMITS)]
pub struct MeasureArgs {
    /// Main packages to build and measure (patterns, like `./cmd/...`).
    #[arg(value_name = "ROOT", required_unless_present = "binary")]
    roots: Vec<String>,
    /// Run as if started in this directory (the measured programs run here too).
    #[arg(short = 'C', long = "dir", value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Build tags, comma-separated (for go list and go build).
    #[arg(long, value_name = "TAGS")]
    tags: Option<String>,
    /// Build with cgo on or off (default: CGO_ENABLED, as go env reports it).
    #[arg(long, value_name = "on|off", value_parser = cli::parse_on_off)]
    cgo: Option<bool>,
    /// Run each binary N times and report medians.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    runs: u32,
    /// Kill a program still initializing after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..))]
    timeout: u64,
    /// Print the measurement as JSON (reusable as weights, see docs/json.md).
    #[arg(long)]
    json: bool,
    /// Packages to show per binary, heaviest first (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Measure a prebuilt binary instead (inittrace and gctrace only); arguments after `--`.
    #[arg(long, value_name = "PATH", conflicts_with = "roots")]
    binary: Option<PathBuf>,
    /// Arguments for --binary.
    #[arg(last = true, value_name = "ARGS", requires = "binary")]
    args: Vec<String>,
}

/// The signal that interrupted the measurement (0: none).
static INTERRUPTED: AtomicI32 = AtomicI32::new(0);

/// On SIGINT or SIGTERM, stops the measured programs (their whole process
/// groups) and removes heft's temporary directories before exiting.
#[cfg(unix)]
fn stop_everything_on_signals() -> Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            INTERRUPTED.store(signal, Ordering::SeqCst);
            heft_measure::stop_everything();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

/// The exit status of a run a signal cut short: the main thread may see
/// the killed program's end before the signal thread exits, and must not
/// report it as the program's failure.
fn interrupted() -> Option<ExitCode> {
    let signal = INTERRUPTED.load(Ordering::SeqCst);
    (signal != 0).then(|| ExitCode::from((128 + signal) as u8))
}

pub fn run(args: &MeasureArgs) -> Result<ExitCode> {
    #[cfg(unix)]
    stop_everything_on_signals()?;
    let opts = Options {
        go: std::env::var_os("HEFT_GO").map_or_else(|| "go".into(), PathBuf::from),
        dir: args.dir.clone(),
        timeout: Duration::from_secs(args.timeout),
        runs: args.runs as usize,
        tags: args.tags.clone(),
        cgo: args.cgo,
    };
    let mut binaries = Vec::new();
    let mut failed = false;
    let mut report = |r: Result<Vec<BinaryMeasure>, MeasureError>| match r {
        Ok(runs) => {
            let b = heft_measure::median(&runs);
            for w in b.iter().flat_map(|b| &b.warnings) {
                eprintln!("heft measure: warning: {w}");
            }
            binaries.extend(b);
        }
        Err(e) => {
            if interrupted().is_none() {
                eprintln!("heft measure: {e}");
            }
            failed = true;
        }
    };
    if let Some(bin) = &args.binary {
        report(heft_measure::measure_binary(&opts, bin, &args.args));
        for ended in binaries.iter().filter_map(|b| b.ended.as_ref()) {
            eprintln!("heft measure: {}: {ended}", bin.display());
        }
    } else {
        if let Err(e) = measure_mains(&opts, &args.roots, &mut report) {
            eprintln!("heft measure: {e}");
            return Ok(cli::could_not_run());
        }
    }
    if let Some(code) = interrupted() {
        return Ok(code);
    }
    let mut out = cli::stdout();
    if args.json {
        let doc = Measurement { heft_measure: JSON_VERSION, go_version: go_version(&opts), binaries };
        heft_report::json::measurement(&mut out, &doc)?;
    } else {
        heft_report::text::measurement(&mut out, &binaries, args.top)?;
    }
    out.flush()?;
    Ok(if failed { cli::FAILED } else { ExitCode::SUCCESS })
}

/// Builds and runs each main package `roots` match, saying which on stderr
/// (builds take seconds to minutes, the first one with a toolchain rebuilds
/// the standard library for the probe), and hands each result to `report`.
fn measure_mains(
    opts: &Options,
    roots: &[String],
    report: &mut impl FnMut(Result<Vec<BinaryMeasure>, MeasureError>),
) -> Result<(), MeasureError> {
    let mains = heft_measure::main_packages(opts, roots)?;
    for (i, m) in mains.iter().enumerate() {
        eprintln!("heft measure: [{}/{}] building and running {} ...", i + 1, mains.len(), m.import_path);
        report(heft_measure::measure_main(opts, m));
    }
    Ok(())
}

/// Measures `roots` (one run each, the default timeout) for a command that
/// needs measured figures; a failure is an error.
pub fn measure_for(
    dir: &std::path::Path,
    tags: Option<String>,
    cgo: Option<bool>,
    roots: &[String],
) -> Result<Measurement> {
    #[cfg(unix)]
    stop_everything_on_signals()?;
    let opts = Options {
        go: std::env::var_os("HEFT_GO").map_or_else(|| "go".into(), PathBuf::from),
        dir: dir.to_path_buf(),
        timeout: Duration::from_secs(60),
        runs: 1,
        tags,
        cgo,
    };
    let mut binaries = Vec::new();
    let mut error = None;
    measure_mains(&opts, roots, &mut |r| match r {
        Ok(runs) => binaries.extend(heft_measure::median(&runs)),
        Err(e) => error = Some(e),
    })?;
    if let Some(e) = error {
        return Err(e.into());
    }
    Ok(Measurement { heft_measure: JSON_VERSION, go_version: go_version(&opts), binaries })
}

fn go_version(opts: &Options) -> String {
    std::process::Command::new(&opts.go)
        .args(["env", "GOVERSION"])
        .current_dir(&opts.dir)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
