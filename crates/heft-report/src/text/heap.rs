//! `heft heap`: a heap profile by package, by the user's package and by
//! constructor; and two profiles side by side.

use std::io::{self, Write};
use std::path::Path;

use heft_analyze::heap::{
    ConstructorGroup, HeapDiff, HeapReport, Owner, PackageDelta, PackageHeap, Space, short_function,
};
use heft_analyze::report::PLAN_EDGES_SHOWN;

use crate::table::{Column, Table};
use crate::{Shown, human_bytes, plural, signed_bytes};

/// Call sites listed under a constructor.
pub const SITES_SHOWN: usize = 3;

fn space_words(space: Space) -> &'static str {
    match space {
        Space::Inuse => "in use at the last GC",
        Space::Alloc => "allocated since start",
    }
}

fn share(part: u64, total: u64) -> String {
    if total == 0 { "-".into() } else { format!("{:.1}%", part as f64 * 100.0 / total as f64) }
}

/// The report: `top` rows per list (0: all).
pub fn heap(out: &mut impl Write, r: &HeapReport, top: usize, shown: &Shown) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} in {} objects {}{}",
        if r.binary.is_empty() { "heap profile" } else { &r.binary },
        human_bytes(r.total_bytes),
        r.total_objects,
        space_words(r.space),
        if r.space == Space::Inuse { " (--alloc: allocated since start)" } else { "" }
    )?;
    if r.sampling_period > 1 {
        writeln!(
            out,
            "Sampled: one sample per {} allocated on average, scaled up; figures near or under that are estimates \
             (GODEBUG=memprofilerate=1 samples every allocation).",
            human_bytes(r.sampling_period)
        )?;
    }
    packages(
        out,
        "By allocating package (first frame outside the runtime):",
        &r.by_allocator,
        r.total_bytes,
        top,
        shown,
    )?;
    packages(
        out,
        "By your package (the outermost frame of your modules):",
        &r.by_user_package,
        r.total_bytes,
        top,
        shown,
    )?;
    writeln!(out)?;
    writeln!(out, "By constructor (what your code called, down to the allocating function):")?;
    let n = heft_analyze::top(top, r.constructors.len());
    for g in &r.constructors[..n] {
        constructor(out, g, r.total_bytes, shown)?;
    }
    more(out, r.constructors.len() - n, "constructor")?;
    if r.root.is_none() {
        writeln!(out)?;
        writeln!(
            out,
            "Name the main package the profile came from (heft heap PROFILE ./cmd/x) for import chains and cuts."
        )?;
    }
    Ok(())
}

fn more(out: &mut impl Write, hidden: usize, what: &str) -> io::Result<()> {
    if hidden > 0 {
        writeln!(out, "  … {hidden} more {what}{} (--top 0 lists all)", plural(hidden as u64))?;
    }
    Ok(())
}

fn owner_word(o: Owner) -> &'static str {
    match o {
        Owner::User => "yours",
        Owner::Std => "std",
        Owner::Dependency => "dependency",
    }
}

fn packages(
    out: &mut impl Write,
    title: &str,
    list: &[PackageHeap],
    total: u64,
    top: usize,
    shown: &Shown,
) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{title}")?;
    let n = heft_analyze::top(top, list.len());
    let mut table = Table::new(
        "  ",
        vec![Column::right(9), Column::right(6), Column::right(8), Column::left(0), Column::left(0).gap("  ")],
    );
    table.row(["bytes", "share", "objects", "package", ""]);
    let mut details = Vec::new();
    for p in &list[..n] {
        table.row([
            human_bytes(p.bytes),
            share(p.bytes, total),
            p.objects.to_string(),
            p.package.clone(),
            if p.package == heft_analyze::heap::OUTSIDE { String::new() } else { format!("({})", owner_word(p.owner)) },
        ]);
        details.push(p);
    }
    // Chains and cuts make the table unreadable inline: rows first, then
    // each package's chain under its name.
    table.write(out)?;
    // The user's own packages are theirs to read; the chains and cuts
    // worth printing are those of what they import.
    for p in details.iter().filter(|p| !p.chain.is_empty() && p.owner != Owner::User) {
        let hops: Vec<String> = p
            .chain
            .iter()
            .skip(1)
            .map(|h| match &h.at {
                Some(at) => format!("{} ({})", h.package, site(at, shown)),
                None => h.package.clone(),
            })
            .collect();
        if hops.is_empty() {
            continue;
        }
        writeln!(out, "  {}: {} -> {}", p.package, p.chain[0].package, hops.join(" -> "))?;
        match &p.cut {
            Some(cut) if cut.structural_own_packages_removed.is_some() => writeln!(
                out,
                "      freed only by cutting your program's own structure ({} of your {} packages would go with it)",
                cut.structural_own_packages_removed.unwrap_or_default(),
                cut.own_packages
            )?,
            Some(cut) => {
                let imports: Vec<String> = cut
                    .imports
                    .iter()
                    .take(PLAN_EDGES_SHOWN)
                    .map(|c| match &c.at {
                        Some(at) => format!("{} -> {} ({})", c.from, c.to, site(at, shown)),
                        None => format!("{} -> {}", c.from, c.to),
                    })
                    .collect();
                let more = match cut.imports.len().saturating_sub(PLAN_EDGES_SHOWN) {
                    0 => String::new(),
                    n => format!("; and {n} more (heft evict {} {} lists them)", p.chain[0].package, p.package),
                };
                writeln!(
                    out,
                    "      cut {}: {}{more} (frees {} package{})",
                    if cut.imports.len() == 1 { "this import" } else { "these imports" },
                    imports.join("; "),
                    cut.removes,
                    plural(cut.removes as u64)
                )?;
            }
            None => {}
        }
    }
    more(out, list.len() - n, "package")
}

/// `file:line` of an import site: relative to the shown directory when
/// inside it, else relative to its module's root (a dependency's files).
fn site(at: &heft_analyze::Location, shown: &Shown) -> String {
    let path = at.path();
    if path.starts_with(&shown.dir) { shown.at(at) } else { format!("{}:{}", at.file, at.line) }
}

/// `main.go:12` of a site's file: relative to the shown directory when
/// inside it, from the module (`mod@v1.2.3/file.go`) when in the module
/// cache, else as recorded.
fn site_file(file: &str, line: u32, shown: &Shown) -> String {
    let path = Path::new(file);
    if path.starts_with(&shown.dir) {
        return format!("{}:{line}", shown.path(path).display());
    }
    let file = file.split_once("/pkg/mod/").map_or(file, |(_, in_cache)| in_cache);
    format!("{file}:{line}")
}

fn constructor(out: &mut impl Write, g: &ConstructorGroup, total: u64, shown: &Shown) -> io::Result<()> {
    let calls = g.sites.len();
    let who = match (calls, g.package_level) {
        (0, _) => format!("`{}`", short_function(&g.constructor)),
        (n, true) => format!("{n} package-level call{} of `{}`", plural(n as u64), short_function(&g.constructor)),
        (n, false) => format!("{n} call site{} of `{}`", plural(n as u64), short_function(&g.constructor)),
    };
    let allocation = format!(
        "{} in `{}` ({})",
        human_bytes(g.bytes),
        short_function(&g.allocator),
        site_file(&g.allocator_file, g.allocator_line, shown)
    );
    let line = if g.allocator != g.constructor {
        let mut path = vec![who];
        path.extend(g.via.iter().map(|f| format!("`{}`", short_function(f))));
        path.push(allocation);
        path.join(" → ")
    } else if calls > 0 {
        // The constructor allocates itself: say who calls it.
        format!("{allocation}, from {}", who.replacen(&format!(" of `{}`", short_function(&g.constructor)), "", 1))
    } else {
        allocation
    };
    writeln!(out, "  {:>9} {:>6}  {line}", human_bytes(g.bytes), share(g.bytes, total))?;
    for s in g.sites.iter().take(SITES_SHOWN) {
        writeln!(
            out,
            "      {:>9}  {}  {}",
            human_bytes(s.bytes),
            short_function(&s.function),
            site_file(&s.file, s.line, shown)
        )?;
    }
    if calls > SITES_SHOWN {
        writeln!(out, "      … {} more call sites", calls - SITES_SHOWN)?;
    }
    Ok(())
}

/// Two profiles: totals, then the packages whose bytes changed.
pub fn heap_diff(out: &mut impl Write, d: &HeapDiff, top: usize) -> io::Result<()> {
    let delta = d.new_bytes as i128 - d.old_bytes as i128;
    writeln!(
        out,
        "heap {}: {} → {} ({})",
        space_words(d.space),
        human_bytes(d.old_bytes),
        human_bytes(d.new_bytes),
        signed_bytes(delta.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
    )?;
    for (title, list) in [("By allocating package:", &d.by_allocator), ("By your package:", &d.by_user_package)] {
        writeln!(out)?;
        writeln!(out, "{title}")?;
        deltas(out, list, top)?;
    }
    Ok(())
}

fn deltas(out: &mut impl Write, list: &[PackageDelta], top: usize) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "  no change");
    }
    let n = heft_analyze::top(top, list.len());
    let mut table = Table::new("  ", vec![Column::right(9), Column::right(9), Column::right(10), Column::left(0)]);
    table.row(["old", "new", "change", "package"]);
    for p in &list[..n] {
        table.row([human_bytes(p.old_bytes), human_bytes(p.new_bytes), signed_bytes(p.delta()), p.package.clone()]);
    }
    table.write(out)?;
    more(out, list.len() - n, "package")
}
