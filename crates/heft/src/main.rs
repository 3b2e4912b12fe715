//! heft: what Go binaries carry at start-up, and where to cut.

mod analysis;
mod cuts;
mod deps;
mod evict;
mod explain;
mod findings;
mod json;
mod measure;
mod report;
mod select;
mod size;
mod why;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use heft_load::{EnvOverrides, GoEnv, LoadConfig, Package, PkgId, Program, Site};

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
  heft size app                                       bytes per package in a built binary
  heft deps ./cmd/server                 packages the server links, like `go list -deps`
  heft deps --json ./... > deps.json     the same with files, modules and import sites
  heft deps --goos windows --cgo off -tags netgo ./cmd/agent
  heft why ./cmd/agent example.com/busybox/pkg/tzdb
  heft why --all ./cmd/server net/http

Environment: GOOS, GOARCH, CGO_ENABLED, GOFLAGS (-tags, -mod), GOWORK and the
rest of `go env` are honored as the go command does; flags win over them.";

#[derive(Subcommand)]
enum Command {
    /// List the packages the named packages link: the same set as `go list -deps`.
    Deps(deps::DepsArgs),
    /// Show why a package is linked: the import chain from a root, with file:line.
    Why(why::WhyArgs),
    /// Rank the import edges whose removal frees the most (one root, or several as one busybox).
    Cuts(cuts::CutsArgs),
    /// The fewest imports to cut together so that a package, pattern or module leaves the binaries.
    Evict(evict::EvictArgs),
    /// Explain one import edge A→B: what A uses of B, where, and the recipe to cut it.
    Explain(explain::ExplainArgs),
    /// Findings: test-only code in production, eager initialization, constant-only imports that drag packages in.
    Findings(findings::FindingsArgs),
    /// Measure init heap, allocations and time per package and per binary (builds and runs the program).
    Measure(measure::MeasureArgs),
    /// Bytes per package and per module in a Go binary; with two binaries (or saved results), the difference.
    Size(size::SizeArgs),
}

/// Flags every command that loads packages shares.
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Run as if started in this directory.
    #[arg(short = 'C', long = "dir", value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Target operating system (default: GOOS from go env).
    #[arg(long, value_name = "GOOS", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    goos: Option<String>,
    /// Target architecture (default: GOARCH from go env).
    #[arg(long, value_name = "GOARCH", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    goarch: Option<String>,
    /// Build tags, comma-separated (replaces -tags from GOFLAGS).
    #[arg(long, value_name = "TAGS")]
    tags: Option<String>,
    /// cgo on or off (default: CGO_ENABLED, as go env reports it).
    #[arg(long, value_name = "on|off", value_parser = parse_on_off)]
    cgo: Option<bool>,
    /// Keep going past package errors and report them with the packages (like `go list -e`).
    #[arg(short = 'e')]
    keep_going: bool,
}

fn parse_on_off(s: &str) -> Result<bool, String> {
    match s {
        "on" | "1" | "true" => Ok(true),
        "off" | "0" | "false" => Ok(false),
        _ => Err(format!("expected on or off, got {s:?}")),
    }
}

impl LoadArgs {
    /// Loads the patterns; without `-e`, package errors fail the command
    /// after the output that is still right has been written.
    pub fn load(&self, patterns: &[String]) -> Result<Program> {
        if !self.dir.is_dir() {
            anyhow::bail!("-C {}: not a directory", self.dir.display());
        }
        let patterns = if patterns.is_empty() { &[".".to_string()][..] } else { patterns };
        let overrides = EnvOverrides {
            goos: self.goos.clone(),
            goarch: self.goarch.clone(),
            cgo_enabled: self.cgo,
            tags: self.tags.as_deref().map(heft_load::split_tags).unwrap_or_default(),
            vars: Vec::new(),
        };
        let cache_dir = heft_load::default_cache_dir();
        let env = GoEnv::from_go_command(&self.dir, &overrides, cache_dir.as_deref())?;
        let cfg = LoadConfig { dir: self.dir.clone(), patterns: patterns.to_vec(), env, index_dir: cache_dir };
        heft_load::load(&cfg).with_context(|| format!("loading {}", patterns.join(" ")))
    }

    /// Loads the patterns as binaries: the `main` packages among what they
    /// match, and the libraries named explicitly (never those a `...`
    /// pattern happened to match), saying on stderr what was skipped.
    pub fn load_binaries(&self, patterns: &[String]) -> Result<Program> {
        let mut prog = self.load(patterns)?;
        let is_main = |id: &PkgId| prog.package(*id).name == "main";
        let kept: Vec<PkgId> =
            prog.roots.iter().copied().filter(|id| is_main(id) || prog.named_roots.contains(id)).collect();
        let skipped = prog.roots.len() - kept.len();
        if kept.is_empty() {
            anyhow::bail!(
                "{} matched {skipped} package(s) and no main package: name the binaries (e.g. `./cmd/...`), \
                 or name a library by its own path to analyze it as one",
                patterns.join(" ")
            );
        }
        if skipped > 0 {
            let mains = kept.iter().filter(|id| is_main(id)).count();
            eprintln!(
                "heft: {mains} main package(s) of {} matched; skipped {skipped} non-main package(s) \
                 (name a library by its own path to analyze it)",
                prog.roots.len()
            );
            prog.keep_roots(&kept);
        }
        Ok(prog)
    }
}

/// Prints the load's warnings and package errors to stderr, each at the
/// import site it concerns when there is one (`file:line:col: message`);
/// true if there were errors. Modules missing from the module cache are
/// named once, with what fetches them; `detail` (`-e`) lists every import
/// site of them too.
pub fn report_package_errors(prog: &Program, detail: bool) -> bool {
    for w in &prog.warnings {
        eprintln!("heft: warning: {w}");
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let at = |p: &Package, site: &Site| {
        format!("{}:{}:{}", shown_path(&p.dir.join(p.site_file(site)), &cwd).display(), site.line, site.col)
    };
    let mut any = false;
    let mut missing_modules: Vec<String> = Vec::new();
    for id in prog.deps_order() {
        let p = prog.package(id);
        for e in &p.errors {
            any = true;
            if let heft_load::PackageError::NotInCache { module, version, .. } = e {
                let at_version = format!("{module}@{version}");
                if !missing_modules.contains(&at_version) {
                    missing_modules.push(at_version);
                }
                if !detail {
                    continue;
                }
            }
            if let Some(site) =
                e.import_path().and_then(|path| p.imports.iter().find(|i| i.path == path)).and_then(|i| i.sites.first())
            {
                eprintln!("{}: {e}", at(p, site));
                continue;
            }
            let mut sites = Vec::new();
            if e.is_not_found() {
                for importer in &prog.packages {
                    for imp in importer.imports.iter().filter(|i| i.target == id) {
                        sites.extend(imp.sites.iter().map(|s| at(importer, s)));
                    }
                }
            }
            if sites.is_empty() {
                eprintln!("package {}: {e}", p.path);
            }
            for site in sites {
                eprintln!("{site}: {e}");
            }
        }
    }
    if !missing_modules.is_empty() {
        const SHOWN: usize = 5;
        let more = missing_modules.len().saturating_sub(SHOWN);
        let mut names = missing_modules[..missing_modules.len().min(SHOWN)].join(", ");
        if more > 0 {
            names.push_str(&format!(" and {more} more"));
        }
        eprintln!(
            "heft: {} module(s) the packages need are not in the module cache: {names}; \
             `go mod download` fetches them (heft never uses the network){}",
            missing_modules.len(),
            if detail { "" } else { "; -e lists every import site" }
        );
    }
    any
}

/// How many of `len` items `--top n` shows: the first n, or all when n is
/// 0 (the same in every command).
pub fn top(n: usize, len: usize) -> usize {
    if n == 0 { len } else { n.min(len) }
}

/// A path relative to the working directory when it is inside it.
pub fn shown_path<'a>(path: &'a Path, cwd: &Path) -> &'a Path {
    path.strip_prefix(cwd).unwrap_or(path)
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
            Command::Size(a) => size::run(a),
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
            ExitCode::from(2)
        }
    }
}
