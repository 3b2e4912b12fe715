//! Bytes per section, package and module of a binary, and the difference
//! between two.

use std::io::{self, Write};

use heft_analyze::size::{By, Diff, NamedDelta, groups};
use heft_gobin::{Kind, SizeReport};

use crate::{human_bytes, signed_bytes};

/// One binary: what it is, its sections (file and memory apart), then the
/// `top` largest groups by `by` (0: all).
pub fn size(out: &mut impl Write, r: &SizeReport, by: By, top: usize) -> io::Result<()> {
    writeln!(
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
    )?;
    if let Some(bi) = &r.buildinfo {
        buildinfo(out, bi)?;
    }
    writeln!(out, "\n{:<24} {:>10} {:>11} {:>13}  from", "section", "size", "attributed", "unattributed")?;
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
            writeln!(
                out,
                "{:<24} {:>10} {:>11} {:>13}  {}",
                s.name,
                human_bytes(s.size),
                human_bytes(s.attributed),
                human_bytes(s.unattributed),
                s.source
            )?;
        }
        let unattributed = size.saturating_sub(attributed);
        let (size, attributed, unattributed) = (human_bytes(size), human_bytes(attributed), human_bytes(unattributed));
        writeln!(out, "{:<24} {size:>10} {attributed:>11} {unattributed:>13}  {label}", "= sections")?;
    }
    let gs = groups(r, by);
    let label = by.name();
    writeln!(out, "\n{:>10} {:>10} {:>10} {:>10} {:>10}  {label}", "in file", "text", "rodata", "data", "bss")?;
    let n = heft_analyze::top(top, gs.len());
    for g in &gs[..n] {
        let [total, text, rodata, data, bss] = [g.total, g.text, g.rodata, g.data, g.bss].map(human_bytes);
        writeln!(out, "{total:>10} {text:>10} {rodata:>10} {data:>10} {bss:>10}  {}", g.name)?;
    }
    if n < gs.len() {
        let rest = gs[n..].iter().fold(0u64, |a, g| a.saturating_add(g.total));
        writeln!(out, "{:>10} {:>43}  ({} more {label}s)", human_bytes(rest), "", gs.len() - n)?;
    }
    Ok(())
}

/// What `go version -m` says, in short: the main package and module, the
/// number of dependency modules, the build settings that are set (the long
/// DefaultGODEBUG list is in --json).
fn buildinfo(out: &mut impl Write, bi: &heft_gobin::buildinfo::BuildInfo) -> io::Result<()> {
    let main = bi.main.as_ref().map_or(String::new(), |m| format!(" in module {} {}", m.path, m.version));
    writeln!(out, "built from {}{main}, with {} dependency modules (--json lists them)", bi.path, bi.deps.len())?;
    if !bi.settings.is_empty() {
        let settings: Vec<String> = bi
            .settings
            .iter()
            .filter(|(k, v)| !v.is_empty() && k != "DefaultGODEBUG")
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        writeln!(out, "build settings: {}", settings.join(" "))?;
    }
    Ok(())
}

/// The difference between two binaries: sections, then the `top` groups
/// that changed most (0: all).
pub fn size_diff(out: &mut impl Write, d: &Diff, top: usize) -> io::Result<()> {
    writeln!(
        out,
        "{} -> {}: {} -> {} in the file ({})",
        d.old,
        d.new,
        human_bytes(d.file_size.old),
        human_bytes(d.file_size.new),
        signed_bytes(d.file_size.delta)
    )?;
    let row = |n: &NamedDelta| {
        format!(
            "{:>10} {:>10} {:>10}  {}",
            human_bytes(n.delta.old),
            human_bytes(n.delta.new),
            signed_bytes(n.delta.delta),
            n.name
        )
    };
    writeln!(out, "\n{:>10} {:>10} {:>10}  section", "old", "new", "delta")?;
    for s in &d.sections {
        writeln!(out, "{}", row(s))?;
    }
    writeln!(out, "\n{:>10} {:>10} {:>10}  {} (bytes in the file)", "old", "new", "delta", d.by)?;
    let n = heft_analyze::top(top, d.groups.len());
    for g in &d.groups[..n] {
        writeln!(out, "{}", row(g))?;
    }
    if n < d.groups.len() {
        writeln!(out, "({} more {}s changed)", d.groups.len() - n, d.by)?;
    }
    Ok(())
}
