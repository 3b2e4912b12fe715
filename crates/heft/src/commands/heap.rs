//! `heft heap`: a Go heap profile attributed to packages, to the user's
//! packages and to constructors; with a root, each package's import chain
//! and cut; with two profiles, the difference.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use heft_analyze::heap::{self, HeapReport, Owners, Space};

use crate::cli::{self, LoadArgs};

#[derive(Args, Debug)]
#[command(after_help = "Examples:
  heft heap heap.pb.gz                    by package, by your package, by constructor
  heft heap heap.pb.gz ./cmd/agent        with each package's import chain and the cut that drops it
  heft heap --alloc heap.pb.gz            allocated since start instead of in use
  heft heap before.pb.gz after.pb.gz      what changed between two profiles
  curl -s localhost:6060/debug/pprof/heap > heap.pb.gz   (a running server's profile)")]
pub struct HeapArgs {
    #[command(flatten)]
    load: LoadArgs,
    /// Attribute bytes allocated since the program started (alloc_space), not those in use.
    #[arg(long)]
    alloc: bool,
    /// Rows per list (0: all; --json is always complete).
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Print JSON (docs/json.md, "heft heap").
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print Markdown.
    #[arg(long)]
    markdown: bool,
    /// A heap profile (gzipped profile.proto), a second one to diff against
    /// the first, and optionally the main package it was taken from (./cmd/x
    /// or an import path): files are profiles, the rest is the root.
    #[arg(value_name = "PROFILE [NEW] [ROOT]", required = true, num_args = 1..=3)]
    args: Vec<String>,
}

pub fn run(args: &HeapArgs) -> Result<ExitCode> {
    let (files, roots): (Vec<&String>, Vec<&String>) =
        args.args.iter().partition(|a| args.load.dir.join(a).is_file() || Path::new(a).is_file());
    if files.len() > 2 {
        bail!("{} profiles named: heft heap takes one, or two to diff", files.len());
    }
    if roots.len() > 1 {
        bail!("{} are not files: name one root (the main package the profile came from)", quoted(&roots));
    }
    if files.is_empty() {
        bail!("{}: no such profile file", quoted(&roots));
    }
    let space = if args.alloc { Space::Alloc } else { Space::Inuse };
    let profiles = files.iter().map(|f| read(&args.load.dir.join(f))).collect::<Result<Vec<_>>>()?;
    let shown = cli::shown();
    let mut warnings = Vec::new();
    let reports: Vec<HeapReport> = match roots.first() {
        Some(root) => {
            let prog = args.load.load_binaries(std::slice::from_ref(*root))?;
            if let Some(code) = cli::load_status(&prog, &args.load) {
                return Ok(code);
            }
            let [root_id] = prog.roots[..] else {
                bail!(
                    "{root:?} matches {} packages; name the one main package the profile came from",
                    prog.roots.len()
                );
            };
            let owners = Owners::of_program(&prog, root_id);
            let mut reports = Vec::new();
            for (p, f) in profiles.iter().zip(&files) {
                let mut r = heap::attribute(p, &owners, space).with_context(|| f.to_string())?;
                if profiles.len() == 1 {
                    heap::explain_packages(&mut r, &prog, root_id, args.top, &mut warnings);
                }
                reports.push(r);
            }
            reports
        }
        None => {
            let modules = user_modules(&args.load.dir);
            profiles
                .iter()
                .zip(&files)
                .map(|(p, f)| {
                    heap::attribute(p, &Owners::of_modules(modules.clone(), p), space).with_context(|| f.to_string())
                })
                .collect::<Result<_>>()?
        }
    };
    cli::warn(&warnings);
    let mut out = cli::stdout();
    match &reports[..] {
        [r] if args.json => heft_report::json::heap(&mut out, r)?,
        [r] if args.markdown => heft_report::markdown::heap(&mut out, r, args.top)?,
        [r] => heft_report::text::heap(&mut out, r, args.top, &shown)?,
        [old, new] => {
            let d = heap::diff(old, new);
            if args.json {
                heft_report::json::heap_diff(&mut out, &d)?;
            } else if args.markdown {
                heft_report::markdown::heap_diff(&mut out, &d, args.top)?;
            } else {
                heft_report::text::heap_diff(&mut out, &d, args.top)?;
            }
        }
        _ => unreachable!("one or two profiles"),
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn quoted(args: &[&String]) -> String {
    args.iter().map(|a| format!("{a:?}")).collect::<Vec<_>>().join(", ")
}

fn read(path: &Path) -> Result<heft_pprof::HeapProfile> {
    let meta = std::fs::metadata(path).with_context(|| path.display().to_string())?;
    if !meta.is_file() {
        bail!("{}: not a regular file", path.display());
    }
    let data = std::fs::read(path).with_context(|| path.display().to_string())?;
    heft_pprof::decode(&data).with_context(|| path.display().to_string())
}

/// The user's module paths without a loaded program: the modules of the
/// go.work or go.mod above `dir` (none: heft tells the user's packages by
/// where their files live).
fn user_modules(dir: &Path) -> Vec<String> {
    let dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    for d in dir.ancestors() {
        if let Ok(text) = std::fs::read(d.join("go.work"))
            && let Ok(work) = heft_gomod::parse_go_work(&text)
        {
            return work.uses.iter().filter_map(|u| module_path(&d.join(&u.dir))).collect();
        }
        if d.join("go.mod").is_file() {
            return module_path(d).into_iter().collect();
        }
    }
    Vec::new()
}

fn module_path(dir: &Path) -> Option<String> {
    let text = std::fs::read(PathBuf::from(dir).join("go.mod")).ok()?;
    heft_gomod::parse_go_mod_lax(&text).ok()?.module
}
