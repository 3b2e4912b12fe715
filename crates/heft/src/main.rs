//! heft: what Go binaries carry at start-up, and where to cut.

mod deps;
mod json;
mod why;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use heft_load::{EnvOverrides, GoEnv, LoadConfig, Program};

#[derive(Parser)]
#[command(name = "heft", version, about = "What Go binaries carry at start-up, and where to cut.", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "\
Examples:
  heft deps ./cmd/server                 packages the server links, like `go list -deps`
  heft deps --json ./... > deps.json     the same with files, modules and import sites
  heft deps --goos windows --cgo off ./cmd/agent
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
}

/// Flags every command that loads packages shares.
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Run as if started in this directory.
    #[arg(short = 'C', long = "dir", value_name = "DIR", default_value = ".")]
    dir: PathBuf,
    /// Target operating system (default: GOOS from go env).
    #[arg(long, value_name = "GOOS")]
    goos: Option<String>,
    /// Target architecture (default: GOARCH from go env).
    #[arg(long, value_name = "GOARCH")]
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
}

/// Prints package errors to stderr; true if there were any.
pub fn report_package_errors(prog: &Program) -> bool {
    let mut any = false;
    for id in prog.deps_order() {
        let p = prog.package(id);
        for e in &p.errors {
            eprintln!("package {}: {e}", p.path);
            any = true;
        }
    }
    any
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Deps(a) => deps::run(a),
        Command::Why(a) => why::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("heft: {e:#}");
            ExitCode::from(2)
        }
    }
}
