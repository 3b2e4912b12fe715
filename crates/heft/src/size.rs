//! `heft size`: bytes per package and per module in a Go binary, and the
//! difference between two.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use heft_gobin::{GoBinary, Group, Kind, SizeReport};

use crate::analysis::human_bytes;

/// How to group bytes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Package,
    Module,
}

#[derive(clap::Args, Debug)]
pub struct SizeArgs {
    /// A Go binary (ELF, Mach-O or PE), or two — OLD NEW — to compare. Either
    /// may also be a result saved with `heft size --json`.
    #[arg(value_name = "BINARY", required = true, num_args = 1..=2)]
    pub files: Vec<PathBuf>,
    /// Group bytes by package or by module.
    #[arg(long, value_enum, default_value = "package")]
    pub by: By,
    /// Show the N largest groups (0: all).
    #[arg(long, value_name = "N", default_value_t = 25)]
    pub top: usize,
    /// Print JSON (see docs/json.md).
    #[arg(long)]
    pub json: bool,
}

/// Reads a binary, or a saved JSON report.
pub fn load(path: &Path) -> Result<SizeReport> {
    // Only a regular file: a FIFO would block and a device never end.
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    if !meta.is_file() {
        anyhow::bail!("{}: not a regular file (a Go binary or a saved `heft size --json`)", path.display());
    }
    let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let first = data.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let mut report = if first == Some(b'{') {
        serde_json::from_slice::<SizeReport>(&data)
            .with_context(|| format!("{}: not a saved `heft size --json` result", path.display()))?
    } else {
        let bin = GoBinary::parse(&data).with_context(|| format!("{}", path.display()))?;
        SizeReport::new(&bin)
    };
    if report.file.is_empty() {
        report.file = path.display().to_string();
    }
    Ok(report)
}

pub fn run(args: &SizeArgs) -> Result<ExitCode> {
    let reports = args.files.iter().map(|p| load(p)).collect::<Result<Vec<_>>>()?;
    let mut out = String::new();
    match reports.as_slice() {
        [one] => {
            if args.json {
                out = serde_json::to_string_pretty(one)?;
                out.push('\n');
            } else {
                render(&mut out, one, args);
            }
        }
        [old, new] => {
            if old.stripped != new.stripped {
                eprintln!(
                    "heft: warning: {} is stripped and {} is not: the symbol table and DWARF make most of the \
                     difference in file size, and without symbols data and bss stay unattributed",
                    if old.stripped { &old.file } else { &new.file },
                    if old.stripped { &new.file } else { &old.file }
                );
            }
            let diff = Diff::new(old, new, args.by);
            if args.json {
                out = serde_json::to_string_pretty(&diff)?;
                out.push('\n');
            } else {
                render_diff(&mut out, &diff, args.top);
            }
        }
        _ => unreachable!("clap allows one or two files"),
    }
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    stdout.flush()?;
    let mut partial = false;
    for r in &reports {
        for w in &r.warnings {
            if r.partial {
                eprintln!("heft: {}: {w}", r.file);
            }
        }
        partial |= r.partial;
    }
    Ok(if partial { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn groups(r: &SizeReport, by: By) -> &[Group] {
    match by {
        By::Package => &r.packages,
        By::Module => &r.modules,
    }
}

fn render(out: &mut String, r: &SizeReport, args: &SizeArgs) {
    let _ = writeln!(
        out,
        "{}: {} {} {}, {} in the file ({} bytes){}{}",
        r.file,
        if r.go_version.is_empty() { "go?" } else { &r.go_version },
        r.format,
        r.arch,
        human_bytes(r.file_size),
        r.file_size,
        if r.stripped { ", stripped" } else { "" },
        if r.partial { ", PARTIAL (see warnings)" } else { "" }
    );
    if let Some(bi) = &r.buildinfo {
        render_buildinfo(out, bi);
    }
    let _ = writeln!(out, "\n{:<24} {:>10} {:>11} {:>13}  from", "section", "size", "attributed", "unattributed");
    // .bss takes memory, not file space: its bytes are totalled apart, so
    // that no total mixes the two.
    let (in_memory, in_file): (Vec<_>, Vec<_>) = r.sections.iter().partition(|s| s.kind == Kind::Bss);
    for (sections, label) in [(in_file, "in the file"), (in_memory, "in memory only (zeroed at start)")] {
        if sections.is_empty() {
            continue;
        }
        let (mut size, mut attributed) = (0u64, 0u64);
        for s in &sections {
            size = size.saturating_add(s.size);
            attributed = attributed.saturating_add(s.attributed);
            let _ = writeln!(
                out,
                "{:<24} {:>10} {:>11} {:>13}  {}",
                s.name,
                human_bytes(s.size),
                human_bytes(s.attributed),
                human_bytes(s.unattributed),
                s.source
            );
        }
        let unattributed = size.saturating_sub(attributed);
        let (size, attributed, unattributed) = (human_bytes(size), human_bytes(attributed), human_bytes(unattributed));
        let _ = writeln!(out, "{:<24} {size:>10} {attributed:>11} {unattributed:>13}  {label}", "= sections");
    }
    let gs = groups(r, args.by);
    let label = if args.by == By::Package { "package" } else { "module" };
    let _ = writeln!(out, "\n{:>10} {:>10} {:>10} {:>10} {:>10}  {label}", "in file", "text", "rodata", "data", "bss");
    let n = crate::top(args.top, gs.len());
    for g in &gs[..n] {
        let [total, text, rodata, data, bss] = [g.total, g.text, g.rodata, g.data, g.bss].map(human_bytes);
        let _ = writeln!(out, "{total:>10} {text:>10} {rodata:>10} {data:>10} {bss:>10}  {}", g.name);
    }
    if n < gs.len() {
        let rest = gs[n..].iter().fold(0u64, |a, g| a.saturating_add(g.total));
        let _ = writeln!(out, "{:>10} {:>43}  ({} more {label}s)", human_bytes(rest), "", gs.len() - n);
    }
}

/// What `go version -m` says, in short: the main package and module, the
/// number of dependency modules, the build settings that are set (the long
/// DefaultGODEBUG list is in --json).
fn render_buildinfo(out: &mut String, bi: &heft_gobin::buildinfo::BuildInfo) {
    let main = bi.main.as_ref().map_or(String::new(), |m| format!(" in module {} {}", m.path, m.version));
    let _ =
        writeln!(out, "built from {}{main}, with {} dependency modules (--json lists them)", bi.path, bi.deps.len());
    if !bi.settings.is_empty() {
        let settings: Vec<String> = bi
            .settings
            .iter()
            .filter(|(k, v)| !v.is_empty() && k != "DefaultGODEBUG")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let _ = writeln!(out, "build settings: {}", settings.join(" "));
    }
}

/// A change in bytes, signed, in human units.
fn signed_bytes(delta: i64) -> String {
    let sign = if delta < 0 { "-" } else { "+" };
    format!("{sign}{}", human_bytes(delta.unsigned_abs()))
}

/// The difference between two reports.
#[derive(serde::Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    pub old: String,
    pub new: String,
    pub by: &'static str,
    pub file_size: Delta,
    pub sections: Vec<NamedDelta>,
    pub groups: Vec<NamedDelta>,
}

#[derive(serde::Serialize, Debug, Default, Clone, Copy)]
pub struct Delta {
    pub old: u64,
    pub new: u64,
    pub delta: i64,
}

impl Delta {
    fn new(old: u64, new: u64) -> Delta {
        let delta = (i128::from(new) - i128::from(old)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Delta { old, new, delta }
    }
}

#[derive(serde::Serialize, Debug)]
pub struct NamedDelta {
    pub name: String,
    #[serde(flatten)]
    pub delta: Delta,
}

fn pair_up(old: impl Iterator<Item = (String, u64)>, new: impl Iterator<Item = (String, u64)>) -> Vec<NamedDelta> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (k, v) in old {
        let e = m.entry(k).or_default();
        e.0 = e.0.saturating_add(v);
    }
    for (k, v) in new {
        let e = m.entry(k).or_default();
        e.1 = e.1.saturating_add(v);
    }
    let mut v: Vec<NamedDelta> = m
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(name, (a, b))| NamedDelta { name, delta: Delta::new(a, b) })
        .collect();
    v.sort_by(|a, b| b.delta.delta.unsigned_abs().cmp(&a.delta.delta.unsigned_abs()).then(a.name.cmp(&b.name)));
    v
}

impl Diff {
    pub fn new(old: &SizeReport, new: &SizeReport, by: By) -> Diff {
        let sec = |r: &SizeReport| r.sections.iter().map(|s| (s.name.clone(), s.size)).collect::<Vec<_>>();
        let grp = |r: &SizeReport| groups(r, by).iter().map(|g| (g.name.clone(), g.total)).collect::<Vec<_>>();
        Diff {
            old: old.file.clone(),
            new: new.file.clone(),
            by: if by == By::Package { "package" } else { "module" },
            file_size: Delta::new(old.file_size, new.file_size),
            sections: pair_up(sec(old).into_iter(), sec(new).into_iter()),
            groups: pair_up(grp(old).into_iter(), grp(new).into_iter()),
        }
    }
}

fn render_diff(out: &mut String, d: &Diff, top: usize) {
    let _ = writeln!(
        out,
        "{} -> {}: {} -> {} in the file ({})",
        d.old,
        d.new,
        human_bytes(d.file_size.old),
        human_bytes(d.file_size.new),
        signed_bytes(d.file_size.delta)
    );
    let row = |n: &NamedDelta| {
        format!(
            "{:>10} {:>10} {:>10}  {}",
            human_bytes(n.delta.old),
            human_bytes(n.delta.new),
            signed_bytes(n.delta.delta),
            n.name
        )
    };
    let _ = writeln!(out, "\n{:>10} {:>10} {:>10}  section", "old", "new", "delta");
    for s in &d.sections {
        let _ = writeln!(out, "{}", row(s));
    }
    let _ = writeln!(out, "\n{:>10} {:>10} {:>10}  {} (bytes in the file)", "old", "new", "delta", d.by);
    let n = crate::top(top, d.groups.len());
    for g in &d.groups[..n] {
        let _ = writeln!(out, "{}", row(g));
    }
    if n < d.groups.len() {
        let _ = writeln!(out, "({} more {}s changed)", d.groups.len() - n, d.by);
    }
}
