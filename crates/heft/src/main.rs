//! heft: what Go binaries carry at start-up, and where to cut.

mod cli;
mod commands;
mod inputs;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{check, cuts, deps, diff, evict, explain, findings, gc, heap, lock, measure, report, size, why};

#[derive(Parser)]
#[command(
    name = "heft",
    version,
    about = "What Go binaries carry at start-up, and where to cut.",
    long_about = "What Go binaries carry at start-up, and where to cut.\n\n\
        With main packages and no command, heft reports on them: packages per binary and what each has to \
        itself, the imports whose cut frees the most, and the heaviest dependency modules with the cheapest \
        way to drop them.",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    report: report::ReportArgs,
}

const EXAMPLES: &str = "\
Examples:
  heft ./...                             the report on every main package of the module
  heft ./cmd/agent ./cmd/server          the report: sizes, best cuts, heaviest modules
  heft main.go                           a program of named files, as go build main.go
  heft --markdown ./cmd/...              the same, for a pull request
  heft cuts --top 10 ./cmd/server        the imports whose cut frees the most
  heft evict ./cmd/server 'cloud.google.com/go/...'   the fewest cuts that drop a dependency
  heft explain ./cmd/agent pkg/config pkg/timeutil    what config uses of timeutil, and how to cut it
  heft measure --json ./cmd/agent > m.json            heap and allocations at the end of init
  heft cuts --by heap --measurements m.json ./cmd/agent
  heft heap heap.pb.gz ./cmd/agent                    a heap profile by package, constructor and import chain
  heft size app                                       bytes per package in a built binary
  heft size --html app > size.html                    the same as a zoomable treemap, one self-contained page
  heft gc --for 2m -- ./server -addr :8080            natural live heap, GC/min, GC CPU, peak RSS; GOMEMLIMIT advice
  heft gc --sweep 128MiB,160MiB,192MiB -- ./batch input.json   one run per memory limit, the sweet spot marked
  heft deps ./cmd/server                 packages the server links, like `go list -deps`
  heft deps --json ./... > deps.json     the same with files, modules and import sites
  heft deps --goos windows --cgo off -tags netgo ./cmd/agent
  heft why ./cmd/agent example.com/busybox/pkg/tzdb
  heft why --all ./cmd/server net/http
  heft check                             budgets and forbidden dependencies of heft.toml, and heft.lock
  heft check --format sarif > heft.sarif
  heft lock --update                     accept what the binaries link now into heft.lock
  heft diff main                         what the working tree does to the binaries, against main
  heft diff --markdown origin/main > comment.md

Environment: GOOS, GOARCH, CGO_ENABLED, GOFLAGS (-tags, -mod, -race, -msan,
-asan, -cover, -covermode), GOWORK and the rest of `go env` are honored as the
go command does; flags win over them.";

#[derive(Subcommand)]
enum Command {
    /// List the packages the named packages link: the same set as `go list -deps`.
    Deps(deps::DepsArgs),
    /// Show why a package is linked: the import chain from a root, with file:line.
    Why(why::WhyArgs),
    /// Rank the import edges whose removal frees the most (one root, or several as one busybox); parts of your own program last.
    Cuts(cuts::CutsArgs),
    /// The fewest imports to cut together so that a package, pattern or module leaves the binaries.
    Evict(evict::EvictArgs),
    /// Explain one import edge A→B: what A uses of B, where, and the recipe to cut it.
    Explain(explain::ExplainArgs),
    /// Findings: test-only code in production, eager initialization, constant-only imports that drag packages in.
    Findings(findings::FindingsArgs),
    /// Measure init heap, allocations and time per package and per binary (builds and runs the program).
    Measure(measure::MeasureArgs),
    /// A Go heap profile by allocating package, by your package and by constructor; with a root, import chains and cuts.
    Heap(heap::HeapArgs),
    /// Run a program under gctrace: natural live heap, GC/min, GC CPU, peak RSS; GOMEMLIMIT advice (--sweep: per limit).
    Gc(gc::GcArgs),
    /// Bytes per package and per module in a Go binary; with two binaries (or saved results), the difference.
    Size(size::SizeArgs),
    /// Check the binaries against heft.toml (budgets, forbidden dependencies) and heft.lock; exit 1 on violations.
    Check(check::CheckArgs),
    /// Write heft.lock: the packages each binary links, each with one importer (the baseline `heft check` holds).
    Lock(lock::LockArgs),
    /// What a change does to the binaries between two git revisions: before/after, and the imports that did it.
    Diff(diff::DiffArgs),
}

/// Accepts `-tags`, as Go users write it, for `--tags` (up to `--`, after
/// which arguments belong to the measured program).
fn go_style_args(args: impl Iterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut rest = false;
    args.map(|arg| {
        rest |= arg == "--";
        match arg.to_str() {
            Some(a) if !rest && (a == "-tags" || a.starts_with("-tags=")) => format!("-{a}").into(),
            _ => arg,
        }
    })
    .collect()
}

fn main() -> ExitCode {
    let cli = Cli::parse_from(go_style_args(std::env::args_os()));
    let result = match &cli.command {
        None => report::run(&cli.report),
        Some(command) => match command {
            Command::Deps(a) => deps::run(a),
            Command::Why(a) => why::run(a),
            Command::Cuts(a) => cuts::run(a),
            Command::Evict(a) => evict::run(a),
            Command::Explain(a) => explain::run(a),
            Command::Findings(a) => findings::run(a),
            Command::Measure(a) => measure::run(a),
            Command::Heap(a) => heap::run(a),
            Command::Gc(a) => gc::run(a),
            Command::Size(a) => size::run(a),
            Command::Check(a) => check::run(a),
            Command::Lock(a) => lock::run(a),
            Command::Diff(a) => diff::run(a),
        },
    };
    match result {
        Ok(code) => code,
        // A closed pipe (`heft ... | head`) is the reader's choice, not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("heft: {e:#}");
            cli::could_not_run()
        }
    }
}
