//! `heft gc -- CMD ARGS`: a program's natural live heap and GC rate, and
//! the memory limits they suggest; `--sweep` runs it once per limit.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::Args;
use heft_measure::gc::{self, GcOptions, GcReport};

use crate::{cli, inputs};

const HOW: &str = "\
How: the program runs with GODEBUG=gctrace=1 (added to your GODEBUG) in a process group of its
own, for --for DURATION (then SIGTERM, and SIGKILL 3 s later: a normal end) or until it exits
(stopped at --timeout: an abnormal end). On Ctrl-C or SIGTERM heft kills the whole group. The
runtime's gctrace lines give each collection's live heap; wait4 gives the peak RSS.

Numbers: natural heap = the live heap after GC (gctrace's third heap number), median and peak
over all collections; GC/min counts the collections the runtime started, not those runtime.GC()
forced; GC CPU = the share of the program's time spent in GC since it started (the last gctrace
line); peak heap in use = the largest heap at the start of a GC.

Advice: GOMEMLIMIT = 1.3–1.5 × the peak natural heap; container limit = the high GOMEMLIMIT +
what the process holds beyond the heap (peak RSS − peak heap in use), rounded up to 16 MiB.

--sweep runs the program once per limit with GOMEMLIMIT=L and GOGC=off (--gogc to change), the
setting a memory limit is chosen for, and marks the sweet spot: the smallest limit whose GC/min is
at most 2× the largest limit's (or at most 1 GC/min). Limits at or below the natural heap are
flagged. Sizes are written as GOMEMLIMIT reads them: 128MiB, 1GiB, 134217728 (B, KiB, MiB, GiB,
TiB); durations as 500ms, 30s, 2m, 1h.

The program should do its real work: a server under load for --for, a batch job on real input.
Run the built binary, not `go run` (the go command would trace its own GCs).";

#[derive(Args, Debug)]
#[command(after_long_help = HOW)]
pub struct GcArgs {
    /// Run the program this long, then stop it (a normal end): 30s, 2m, 1h.
    #[arg(long = "for", value_name = "DURATION", value_parser = gc::parse_duration)]
    run_for: Option<Duration>,
    /// Without --for: stop a program still running after this long.
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = gc::parse_duration)]
    timeout: Duration,
    /// Run once per memory limit (GOMEMLIMIT syntax, comma-separated): 128MiB,160MiB,192MiB.
    #[arg(long, value_name = "LIMITS", value_delimiter = ',', value_parser = limit_parser)]
    sweep: Vec<String>,
    /// GOGC for the runs (default: the environment's; with --sweep, off).
    #[arg(long, value_name = "VALUE", value_parser = gogc_parser)]
    gogc: Option<String>,
    /// Print the result as JSON (docs/json.md).
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print the result as Markdown.
    #[arg(long)]
    markdown: bool,
    /// The program and its arguments (after `--`, or after heft gc's own flags).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

fn limit_parser(s: &str) -> Result<String, String> {
    gc::parse_size(s).map(|_| s.to_string())
}

fn gogc_parser(s: &str) -> Result<String, String> {
    if s == "off" || s.parse::<u32>().is_ok() {
        Ok(s.to_string())
    } else {
        Err(format!("{s:?}: GOGC is a whole number (percent) or off"))
    }
}

pub fn run(args: &GcArgs) -> Result<ExitCode> {
    #[cfg(unix)]
    inputs::stop_everything_on_signals()?;
    let name = &args.command[0];
    let program = match gc::find_program(name) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("heft gc: {e}");
            return Ok(cli::could_not_run());
        }
    };
    let sweeping = !args.sweep.is_empty();
    let gogc = args.gogc.clone().or_else(|| sweeping.then(|| "off".to_string()));
    let opts = GcOptions {
        program,
        args: args.command[1..].to_vec(),
        run_for: args.run_for,
        timeout: args.timeout,
        gogc: gogc.clone(),
    };
    let mut limits: Vec<(u64, &String)> =
        args.sweep.iter().map(|l| (gc::parse_size(l).expect("checked by clap"), l)).collect();
    limits.sort();
    limits.dedup_by_key(|(bytes, _)| *bytes);
    let mut runs = Vec::new();
    if sweeping {
        for (i, (_, limit)) in limits.iter().enumerate() {
            eprintln!(
                "heft gc: [{}/{}] GOMEMLIMIT={limit} GOGC={} {} ...",
                i + 1,
                limits.len(),
                gogc.as_deref().unwrap_or("off"),
                args.command.join(" ")
            );
            runs.push(gc::run(&opts, Some(limit)));
        }
    } else {
        runs.push(gc::run(&opts, None));
    }
    if let Some(code) = inputs::interrupted() {
        return Ok(code);
    }
    let runs = match runs.into_iter().collect::<Result<Vec<_>, _>>() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("heft gc: {e}");
            return Ok(cli::could_not_run());
        }
    };
    if let Some(e) = gc::no_gc_error(&runs, name) {
        eprintln!("heft gc: {e}");
        return Ok(cli::FAILED);
    }
    let mut failed = false;
    for r in &runs {
        if r.unread_gc_lines > 0 {
            eprintln!("heft gc: warning: {} gctrace lines cut by other output, skipped", r.unread_gc_lines);
        }
        if !r.ended.normal() {
            failed = true;
            let limit =
                r.gomemlimit.as_deref().filter(|_| sweeping).map_or(String::new(), |l| format!(" (GOMEMLIMIT={l})"));
            eprintln!(
                "heft gc: {name}{limit} {}; what was measured until then is reported",
                r.ended.describe(r.seconds)
            );
            if !r.output.is_empty() {
                eprintln!("{}", r.output);
            }
        }
    }
    let report = GcReport {
        command: args.command.clone(),
        sweep: sweeping.then(|| gc::sweep(&runs, gogc.as_deref().unwrap_or("off"))),
        advice: gc::advice(&runs),
        runs,
    };
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::gc(&mut out, &report)?;
    } else if args.markdown {
        heft_report::markdown::gc(&mut out, &report)?;
    } else {
        heft_report::text::gc(&mut out, &report)?;
    }
    out.flush()?;
    Ok(if failed { cli::FAILED } else { ExitCode::SUCCESS })
}
