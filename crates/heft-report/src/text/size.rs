//! Bytes per section, package and module of a binary, and the difference
//! between two.

use std::io::{self, Write};

use heft_analyze::size::{By, Diff, NamedDelta, groups};
use heft_gobin::{Kind, SizeReport};

use crate::table::{Column, Table};
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
    writeln!(out)?;
    let mut table = Table::new(
        "",
        vec![Column::left(24), Column::right(10), Column::right(11), Column::right(13), Column::left(0).gap("  ")],
    );
    table.row(["section", "size", "attributed", "unattributed", "from"]);
    // Bytes in memory only (bss, the zeroed part of a PE .data) are totalled
    // apart, so that no total mixes them with the file's; the file's rows
    // add up to its size.
    let (in_memory, in_file): (Vec<_>, Vec<_>) = r.sections.iter().partition(|s| s.kind == Kind::Bss);
    for (sections, label) in [(in_file, "in the file"), (in_memory, "in memory only (zeroed at start)")] {
        if sections.is_empty() {
            continue;
        }
        let (mut size, mut attributed) = (0u64, 0u64);
        for s in &sections {
            size = size.saturating_add(s.size);
            attributed = attributed.saturating_add(s.attributed);
            let [total, attr, unattr] = [s.size, s.attributed, s.unattributed].map(human_bytes);
            let from = if s.removed_by_strip { format!("{} (-s -w)", s.source) } else { s.source.to_string() };
            table.row([s.name.clone(), total, attr, unattr, from]);
        }
        let unattributed = size.saturating_sub(attributed);
        let [size, attributed, unattributed] = [size, attributed, unattributed].map(human_bytes);
        table.row(["= sections".to_string(), size, attributed, unattributed, label.to_string()]);
    }
    table.write(out)?;
    if r.complete {
        writeln!(
            out,
            "-ldflags=\"-s -w\" would remove {} (symbol table and DWARF, marked -s -w)",
            human_bytes(r.removed_by_strip)
        )?;
    }
    let gs = groups(r, by);
    let label = by.name();
    writeln!(out)?;
    let mut table = Table::new("", vec![Column::right(10); 6].into_iter().chain([Column::left(0).gap("  ")]).collect());
    table.row(["in file", "text", "rodata", "fn table", "data", "bss", label]);
    let n = heft_analyze::top(top, gs.len());
    for g in &gs[..n] {
        let [total, text, rodata, pclntab, data, bss] =
            [g.total, g.text, g.rodata, g.pclntab, g.data, g.bss].map(human_bytes);
        table.row([total, text, rodata, pclntab, data, bss, g.name.clone()]);
    }
    if n < gs.len() {
        let rest = gs[n..].iter().fold(0u64, |a, g| a.saturating_add(g.total));
        let more = format!("({} more {label}s)", gs.len() - n);
        let blank = String::new;
        table.row([human_bytes(rest), blank(), blank(), blank(), blank(), blank(), more]);
    }
    table.write(out)?;
    writeln!(out, "(fn table: bytes of the function table charged to the {label}'s functions, within rodata or data)")?;
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
    let columns = || vec![Column::right(10), Column::right(10), Column::right(10), Column::left(0).gap("  ")];
    let row = |n: &NamedDelta| {
        [human_bytes(n.delta.old), human_bytes(n.delta.new), signed_bytes(n.delta.delta), n.name.clone()]
    };
    writeln!(out)?;
    let mut sections = Table::new("", columns());
    sections.row(["old", "new", "delta", "section"]);
    for s in &d.sections {
        sections.row(row(s));
    }
    sections.write(out)?;
    writeln!(out)?;
    let mut table = Table::new("", columns());
    table.row(["old".to_string(), "new".to_string(), "delta".to_string(), format!("{} (bytes in the file)", d.by)]);
    let n = heft_analyze::top(top, d.groups.len());
    for g in &d.groups[..n] {
        table.row(row(g));
    }
    table.write(out)?;
    if n < d.groups.len() {
        writeln!(out, "({} more {}s changed)", d.groups.len() - n, d.by)?;
    }
    Ok(())
}
