//! `heft diff BASE [HEAD]`: what a change does to the binaries, between
//! two git revisions (HEAD: the working tree). Revisions are unpacked with
//! `git archive` into temporary directories; the user's checkout is never
//! touched.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{Context, Result, bail};
use clap::Args;
use heft_analyze::diff::{Side, diff};
use tempfile::TempDir;

use crate::cli::{self, LoadArgs};
use crate::inputs::{read_rules, roots};

#[derive(Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub load: LoadArgs,
    /// Also measure both sides (heap at end of init, mallocs, binary size): builds and runs each binary twice.
    #[arg(long)]
    pub measure: bool,
    /// Also build both sides for their binary sizes (`go build`).
    #[arg(long)]
    pub build: bool,
    /// Print one Markdown pull-request comment.
    #[arg(long, conflicts_with = "json")]
    pub markdown: bool,
    /// Print JSON (docs/json.md).
    #[arg(long)]
    pub json: bool,
    /// A main package to compare (repeatable; default: heft.toml's [[binary]] roots, else ./...).
    #[arg(long = "root", value_name = "ROOT")]
    pub roots: Vec<String>,
    /// The base revision (a commit, branch or tag).
    #[arg(value_name = "BASE")]
    pub base: String,
    /// The head revision (default: the working tree).
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
}

fn git(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .context("running git (is it installed?)")?;
    if !out.status.success() {
        bail!("git {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim_end_matches('\n').to_string())
}

/// A revision's tree in a temporary directory (removed on drop), and the
/// directory in it that corresponds to `dir`.
struct Tree {
    _tmp: TempDir,
    dir: PathBuf,
}

fn unpack(dir: &Path, rev: &str) -> Result<Tree> {
    git(dir, &["rev-parse", "--show-toplevel"])
        .with_context(|| format!("{} is not in a git repository", dir.display()))?;
    let prefix = git(dir, &["rev-parse", "--show-prefix"])?;
    let commit = match git(dir, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")]) {
        Ok(c) if !c.is_empty() => c,
        _ => {
            let shallow = git(dir, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s == "true");
            if shallow {
                bail!(
                    "{rev}: not in this clone, which is shallow: fetch it (`git fetch --depth=1 origin {rev}`, or check out with fetch-depth: 0)"
                );
            }
            bail!("{rev}: no such revision in this repository");
        }
    };
    let tmp = tempfile::Builder::new().prefix("heft-diff-").tempdir().context("creating a temporary directory")?;
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", &commit])
        .current_dir(&top)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("running git archive")?;
    let tar = Command::new("tar")
        .args(["-x", "-f", "-", "-C"])
        .arg(tmp.path())
        .stdin(archive.stdout.take().expect("piped"))
        .output()
        .context("running tar")?;
    let archived = archive.wait_with_output().context("git archive")?;
    if !archived.status.success() || !tar.status.success() {
        bail!(
            "unpacking {rev}: {}{}",
            String::from_utf8_lossy(&archived.stderr).trim(),
            String::from_utf8_lossy(&tar.stderr).trim()
        );
    }
    let dir = tmp.path().join(prefix);
    Ok(Tree { _tmp: tmp, dir })
}

/// The size of each root's binary, built with `go build` in `dir`.
fn build_sizes(dir: &Path, roots: &[String]) -> Result<BTreeMap<String, u64>> {
    let out = tempfile::Builder::new().prefix("heft-diff-bin-").tempdir()?;
    let mut sizes = BTreeMap::new();
    for (i, root) in roots.iter().enumerate() {
        let bin = out.path().join(format!("bin{i}"));
        eprintln!("heft diff: building {root} in {} ...", dir.display());
        let st = Command::new(std::env::var_os("HEFT_GO").unwrap_or_else(|| "go".into()))
            .args(["build", "-o"])
            .arg(&bin)
            .arg(root)
            .current_dir(dir)
            .status()
            .context("running go build")?;
        if !st.success() {
            bail!("go build {root} failed in {}", dir.display());
        }
        sizes.insert(root.clone(), std::fs::metadata(&bin)?.len());
    }
    Ok(sizes)
}

pub fn run(args: &DiffArgs) -> Result<ExitCode> {
    let base_tree = unpack(&args.load.dir, &args.base)?;
    let head_tree = args.head.as_deref().map(|h| unpack(&args.load.dir, h)).transpose()?;
    let head_dir = head_tree.as_ref().map_or(args.load.dir.clone(), |t| t.dir.clone());
    let (config, _, _) = read_rules(&head_dir, None, None)?;
    let patterns = roots(&args.roots, &config, None);
    let load = |dir: &Path| {
        let load = LoadArgs { dir: dir.to_path_buf(), ..args.load.clone() };
        let prog = load.load_binaries(&patterns)?;
        if cli::report_package_errors(&prog, load.keep_going) && !load.keep_going {
            bail!("{}: the packages have errors (above)", dir.display());
        }
        Ok(prog)
    };
    let (base, head) = (load(&base_tree.dir).context("the base")?, load(&head_dir).context("the head")?);
    let root_paths = |prog: &heft_load::Program| -> Vec<String> {
        prog.roots.iter().map(|&r| prog.package(r).path.clone()).collect()
    };
    let measure = |dir: &Path, prog: &heft_load::Program| -> Result<Option<heft_measure::Measurement>> {
        if !args.measure {
            return Ok(None);
        }
        let m = crate::inputs::measure_for(dir, args.load.tags.clone(), args.load.cgo, &root_paths(prog))?;
        Ok(Some(m))
    };
    let sizes = |dir: &Path, prog: &heft_load::Program| {
        if args.build { build_sizes(dir, &root_paths(prog)) } else { Ok(BTreeMap::new()) }
    };
    let (bm, hm) = (measure(&base_tree.dir, &base)?, measure(&head_dir, &head)?);
    let (bs, hs) = (sizes(&base_tree.dir, &base)?, sizes(&head_dir, &head)?);
    let d = diff(
        &Side { prog: &base, measurements: bm.as_ref(), sizes: &bs },
        &Side { prog: &head, measurements: hm.as_ref(), sizes: &hs },
    );
    let head_label = args.head.as_deref().unwrap_or("the working tree");
    let mut out = cli::stdout();
    if args.json {
        heft_report::json::diff(&mut out, &d, &args.base, head_label)?;
    } else if args.markdown {
        heft_report::markdown::diff(&mut out, &d, &args.base, head_label)?;
    } else {
        heft_report::text::diff(&mut out, &d, &args.base, head_label)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
