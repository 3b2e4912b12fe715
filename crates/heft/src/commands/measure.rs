//! `heft measure`: heap, allocations and time of package initialization.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use heft_measure::{BinaryMeasure, JSON_VERSION, MeasureError, Measurement, Options};

use crate::{cli, inputs};

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
timeout (a server) is killed and its init numbers are reported; a panic in an init is a failure.
PATH is a file (relative to -C DIR), never looked up in $PATH. Trace lines the program's own
stderr output cut are joined again when the cut is certain, else reported as warnings.";

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

pub fn run(args: &MeasureArgs) -> Result<ExitCode> {
    #[cfg(unix)]
    inputs::stop_everything_on_signals()?;
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
            if inputs::interrupted().is_none() {
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
        if let Err(e) = inputs::measure_mains(&opts, &args.roots, &mut report) {
            eprintln!("heft measure: {e}");
            return Ok(cli::could_not_run());
        }
    }
    if let Some(code) = inputs::interrupted() {
        return Ok(code);
    }
    let mut out = cli::stdout();
    if args.json {
        let go_version = match &args.binary {
            Some(bin) => inputs::binary_go_version(&opts.dir, bin),
            None => inputs::go_version(&opts),
        };
        let doc = Measurement { heft_measure: JSON_VERSION, go_version, binaries };
        heft_report::json::measurement(&mut out, &doc)?;
    } else {
        heft_report::text::measurement(&mut out, &binaries, args.top)?;
    }
    out.flush()?;
    Ok(if failed { cli::FAILED } else { ExitCode::SUCCESS })
}
