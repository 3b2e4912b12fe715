//! `heft lock`: writes heft.lock, the packages each binary links with one
//! importer each — the baseline `heft check` holds the binaries to.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use heft_analyze::ImportGraph;
use heft_analyze::lock::Lock;

use crate::cli::{self, LoadArgs};
use crate::inputs::{read_rules, roots};

#[derive(Args, Debug)]
pub struct LockArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Rewrite an existing heft.lock (accepting what changed); without it, an out-of-date lock is only reported.
    #[arg(long)]
    pub update: bool,
    /// The lock file (default: heft.lock in the directory).
    #[arg(long, value_name = "FILE")]
    pub lock: Option<PathBuf>,
    /// The rules, for their roots (default: heft.toml in the directory, if there is one).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Main packages (default: heft.toml's [[binary]] roots, else the lock's binaries, else ./...).
    #[arg(value_name = "ROOT")]
    pub roots: Vec<String>,
}

pub fn run(args: &LockArgs) -> Result<ExitCode> {
    let (config, previous, file) = read_rules(&args.load.dir, args.config.as_ref(), args.lock.as_ref())?;
    let prog = args.load.load_binaries(&roots(&args.roots, &config, previous.as_ref()))?;
    if let Some(code) = cli::load_status(&prog, &args.load) {
        return Ok(code);
    }
    let mut lock = Lock::of(&prog, &ImportGraph::of(&prog), previous.as_ref());
    if let Some(previous) = &previous {
        // Binaries not loaded this time keep their entries.
        for (binary, packages) in &previous.binaries {
            lock.binaries.entry(binary.clone()).or_insert_with(|| packages.clone());
        }
    }
    let mut err = std::io::stderr().lock();
    let changes = previous.as_ref().map(|p| changes(p, &lock)).unwrap_or_default();
    if previous.is_some() && !args.update {
        if changes.is_empty() {
            writeln!(err, "heft lock: {} is up to date", file.display())?;
            return Ok(ExitCode::SUCCESS);
        }
        for c in &changes {
            writeln!(err, "{c}")?;
        }
        writeln!(
            err,
            "heft lock: {} is out of date ({} change(s)); `heft lock --update` rewrites it",
            file.display(),
            changes.len()
        )?;
        return Ok(cli::FAILED);
    }
    std::fs::write(&file, lock.render()).with_context(|| format!("writing {}", file.display()))?;
    let packages: usize = lock.binaries.values().map(|p| p.len()).sum();
    for c in &changes {
        writeln!(err, "{c}")?;
    }
    writeln!(err, "heft lock: wrote {} ({} binaries, {packages} packages)", file.display(), lock.binaries.len())?;
    Ok(ExitCode::SUCCESS)
}

/// `+ binary: package (importer)` and `- binary: package` lines.
fn changes(old: &Lock, new: &Lock) -> Vec<String> {
    let mut out = Vec::new();
    for (binary, packages) in &new.binaries {
        let before = old.binaries.get(binary);
        for (p, importer) in packages {
            if before.is_none_or(|b| !b.contains_key(p)) {
                out.push(format!("+ {binary}: {p} (imported by {importer})"));
            }
        }
        for p in before.into_iter().flat_map(|b| b.keys()) {
            if !packages.contains_key(p) {
                out.push(format!("- {binary}: {p}"));
            }
        }
    }
    out
}
