//! Size attribution: every loaded section's bytes to packages and modules,
//! with what could not be attributed reported as such.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{BuildInfo, GoBinary, Kind, symname};

/// Group name for symbols that carry no Go package (C code, linker symbols).
pub const NO_PACKAGE: &str = "(no package)";
/// Group name for the bytes of the Go function table (pclntab) and its
/// funcdata that no function is charged with: the header, alignment
/// padding, `runtime.findfunctab`, the last funcdata object; the whole table
/// for tables before Go 1.18, which are not split.
pub const PCLNTAB: &str = "(pclntab shared)";
/// Group name for the bytes of the file in no section: headers and padding.
pub const HEADERS: &str = "(headers and padding)";
/// Module name of the standard library.
pub const STD: &str = "std";
/// Module name for packages no module of the build information claims.
pub const UNKNOWN_MODULE: &str = "(unknown module)";

/// Bytes of one package or module, by kind of section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    /// A package path, a pseudo-package (`go:`, `type:`, [`PCLNTAB`],
    /// [`NO_PACKAGE`]) or a module path (with [`STD`], [`UNKNOWN_MODULE`]).
    pub name: String,
    /// The module of a package (empty for module groups).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub module: String,
    /// Bytes in text sections: machine code.
    pub text: u64,
    /// Bytes in read-only data sections.
    pub rodata: u64,
    /// Bytes in initialized writable data sections.
    pub data: u64,
    /// Bytes of zero-initialized data: memory at run time, none in the file.
    pub bss: u64,
    /// Bytes in other loaded sections.
    pub other: u64,
    /// Bytes in the file: text + rodata + data + other (bss takes none).
    pub total: u64,
    /// Of `rodata` (or `data`, where the table lives in a writable section),
    /// the bytes of the function table and funcdata charged to the
    /// package's functions: what removing the package removes from the
    /// table, besides its code.
    #[serde(default)]
    pub pclntab: u64,
}

impl Group {
    fn add(&mut self, kind: Kind, n: u64) {
        let field = match kind {
            Kind::Text => &mut self.text,
            Kind::Rodata => &mut self.rodata,
            Kind::Data => &mut self.data,
            Kind::Bss => &mut self.bss,
            Kind::Other | Kind::Debug | Kind::Symtab | Kind::Headers => &mut self.other,
        };
        *field = field.saturating_add(n);
        if kind != Kind::Bss {
            self.total = self.total.saturating_add(n);
        }
    }
}

/// One section: its size, what was attributed and how, and the rest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SectionReport {
    /// The section's name in the file.
    pub name: String,
    /// What the section holds.
    pub kind: Kind,
    /// Size in memory, in bytes.
    pub size: u64,
    /// Bytes given to a package or pseudo-package.
    pub attributed: u64,
    /// `size - attributed`: bytes no function or symbol claims (alignment
    /// padding, C code in a stripped binary, unnamed data). Never spread.
    pub unattributed: u64,
    /// `pclntab` (function table), `symbols` (symbol table) or `none`.
    pub source: String,
    /// Bytes in the file (0 for bss; less than `size` for nothing else, since
    /// a PE section with zeroed data after its file bytes is listed as two).
    #[serde(default)]
    pub file_size: u64,
    /// Building with `-ldflags=-s -w` leaves it out (symbol table, DWARF).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub removed_by_strip: bool,
}

impl SectionReport {
    /// Bytes in the file; for reports saved before `fileSize` existed, the
    /// size of every section that is not bss.
    pub fn in_file(&self, complete: bool) -> u64 {
        if complete {
            self.file_size
        } else if self.kind == Kind::Bss {
            0
        } else {
            self.size
        }
    }
}

/// The size report of one binary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SizeReport {
    /// The file the report is of.
    #[serde(default)]
    pub file: String,
    /// The container: `elf`, `macho` or `pe`.
    pub format: String,
    /// The architecture as the `object` crate names it, lowercased
    /// (`x86_64`, `aarch64`).
    pub arch: String,
    /// Bytes of the whole file.
    pub file_size: u64,
    /// The toolchain that built it (`go1.22.3`); empty without build
    /// information.
    #[serde(default)]
    pub go_version: String,
    /// The pclntab layout (`go1.2`, `go1.16`, `go1.18`, `go1.20`); empty
    /// without a pclntab.
    #[serde(default)]
    pub pclntab_version: String,
    /// The binary has no symbol table (built with `-ldflags=-s`): data,
    /// rodata and bss stay unattributed.
    pub stripped: bool,
    /// Every section of [`GoBinary::sections`], in that order, then those
    /// of [`GoBinary::unloaded`], then [`HEADERS`]: the `fileSize` of all
    /// add up to `fileSize` (when `complete`).
    pub sections: Vec<SectionReport>,
    /// The sections cover the whole file (reports saved by earlier versions
    /// list the loaded sections only).
    #[serde(default)]
    pub complete: bool,
    /// Bytes that building with `-ldflags=-s -w` leaves out of the file: the
    /// symbol table and its strings, and the DWARF debug information.
    #[serde(default)]
    pub removed_by_strip: u64,
    /// Packages, largest `total` first.
    pub packages: Vec<Group>,
    /// Modules, largest `total` first.
    pub modules: Vec<Group>,
    /// Set when something could not be read; the numbers that are there are
    /// still right, but some bytes are unattributed because of it.
    pub partial: bool,
    /// What could not be read, and a note when the binary is stripped.
    pub warnings: Vec<String>,
    /// The build information, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buildinfo: Option<BuildInfo>,
}

fn is_pclntab_symbol(name: &str) -> bool {
    matches!(
        name,
        "runtime.pclntab"
            | "runtime.pcheader"
            | "runtime.funcnametab"
            | "runtime.cutab"
            | "runtime.filetab"
            | "runtime.pctab"
            | "runtime.functab"
            | "runtime.epclntab"
            | "runtime.findfunctab"
            | "go:func.*"
            | "go.func.*"
    )
}

/// The group a symbol's bytes go to.
fn group_of(name: &str) -> String {
    if is_pclntab_symbol(name) {
        return PCLNTAB.to_string();
    }
    if name == "runtime.gcbits.*" {
        return "go:".to_string();
    }
    if let Some(p) = symname::pseudo_group(name) {
        return p.to_string();
    }
    symname::package_of(name).unwrap_or_else(|| NO_PACKAGE.to_string())
}

/// The module that provides a package, by the build information.
pub fn module_of(pkg: &str, bi: Option<&BuildInfo>) -> String {
    if pkg.starts_with('(') || pkg.ends_with(':') {
        return pkg.to_string();
    }
    if let Some(bi) = bi {
        if pkg == "main" {
            return bi.main.as_ref().map_or_else(|| bi.path.clone(), |m| m.path.clone());
        }
        let claims = |m: &str| pkg == m || pkg.strip_prefix(m).is_some_and(|r| r.starts_with('/'));
        let best = bi.main.iter().chain(bi.deps.iter()).filter(|m| claims(&m.path)).max_by_key(|m| m.path.len());
        if let Some(m) = best {
            return m.path.clone();
        }
    }
    if pkg == "main" {
        return "main".to_string();
    }
    let first = pkg.split('/').next().unwrap_or("");
    if !first.contains('.') {
        return STD.to_string();
    }
    module_by_path(pkg)
}

/// The module of a package no build information claims, by its path: the
/// first three elements on hosts that serve repositories as `host/owner/repo`
/// (`github.com`, `gitlab.com`, `bitbucket.org`, `golang.org/x`), else the
/// first two (`go.uber.org/zap`, `gopkg.in/yaml.v3`, `k8s.io/api`); a major
/// version suffix (`/v2`) after them is kept.
pub fn module_by_path(pkg: &str) -> String {
    let parts: Vec<&str> = pkg.split('/').collect();
    let n = match parts[0] {
        "github.com" | "gitlab.com" | "bitbucket.org" | "codeberg.org" => 3,
        "golang.org" if parts.get(1) == Some(&"x") => 3,
        _ => 2,
    };
    let mut n = n.min(parts.len());
    if let Some(v) = parts.get(n)
        && v.len() > 1
        && v.starts_with('v')
        && v[1..].bytes().all(|b| b.is_ascii_digit())
    {
        n += 1;
    }
    parts[..n].join("/")
}

/// A range of addresses whose bytes are charged by amount, not by symbol:
/// the function table, or the funcdata objects but the last.
struct Reserved {
    section: usize,
    start: u64,
    end: u64,
}

impl SizeReport {
    /// Attributes the bytes of `bin`.
    pub fn new(bin: &GoBinary) -> SizeReport {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut sections = Vec::with_capacity(bin.sections.len() + bin.unloaded.len() + 1);
        let has_symbols = bin.symbols.iter().any(|s| s.section.is_some() && s.size > 0);
        let func_group = |f: &crate::Func| if f.foreign { NO_PACKAGE.to_string() } else { group_of(&f.name) };
        let section_of = |addr: u64| {
            bin.sections.iter().position(|s| s.kind != Kind::Bss && s.addr <= addr && addr < s.addr + s.file_size)
        };

        // The function table and the funcdata: charged per function.
        let mut reserved: Vec<Reserved> = Vec::new();
        let table = bin.pclntab.as_ref();
        if let (Some(t), Some(addr)) = (table, bin.pclntab_addr)
            && t.extent > 0
            && let Some(si) = section_of(addr)
            && addr + t.extent <= bin.sections[si].addr + bin.sections[si].file_size
        {
            reserved.push(Reserved { section: si, start: addr, end: addr + t.extent });
        }
        if let (Some(t), Some(base)) = (table, bin.gofunc)
            && let (Some(first), Some(last)) = (t.funcdata.first(), t.funcdata.last())
            && let Some(si) = section_of(base + u64::from(first.offset))
            && base + u64::from(last.offset) <= bin.sections[si].addr + bin.sections[si].file_size
            && reserved.iter().all(|r| r.section != si || r.end <= base || base + u64::from(last.offset) <= r.start)
        {
            reserved.push(Reserved {
                section: si,
                start: base + u64::from(first.offset),
                end: base + u64::from(last.offset),
            });
        }
        let overlap = |si: usize, from: u64, to: u64| -> u64 {
            reserved.iter().filter(|r| r.section == si).map(|r| to.min(r.end).saturating_sub(from.max(r.start))).sum()
        };

        // Symbols per section, by address.
        let mut by_section: Vec<Vec<usize>> = vec![Vec::new(); bin.sections.len()];
        for (i, s) in bin.symbols.iter().enumerate() {
            if let Some(sec) = s.section
                && s.size > 0
                && !s.name.contains("(.")
            {
                by_section[sec].push(i);
            }
        }

        for (si, sec) in bin.sections.iter().enumerate() {
            let mut attributed = 0u64;
            let mut source = "none";
            let own_table = bin.pclntab.is_some() && (sec.name == ".gopclntab" || sec.name == "__gopclntab");
            if Some(si) == bin.text_section
                && let Some(t) = table
            {
                source = "pclntab";
                for f in &t.funcs {
                    groups.entry(func_group(f)).or_default().add(sec.kind, f.size);
                    attributed = attributed.saturating_add(f.size);
                }
            } else {
                for (ri, r) in reserved.iter().enumerate() {
                    if r.section != si {
                        continue;
                    }
                    source = "pclntab";
                    let t = table.expect("reserved ranges come from the table");
                    let mut charge = |g: String, n: u64| {
                        let e = groups.entry(g).or_default();
                        e.add(sec.kind, n);
                        e.pclntab = e.pclntab.saturating_add(n);
                        attributed = attributed.saturating_add(n);
                    };
                    if ri == 0 && bin.pclntab_addr == Some(r.start) {
                        for f in t.funcs.iter().filter(|f| f.table > 0) {
                            charge(func_group(f), f.table);
                        }
                        charge(PCLNTAB.to_string(), t.shared);
                    } else {
                        for w in t.funcdata.windows(2) {
                            let n = u64::from(w[1].offset - w[0].offset);
                            charge(func_group(&t.funcs[w[0].func as usize]), n);
                        }
                    }
                }
                if !by_section[si].is_empty() {
                    if source == "none" {
                        source = "symbols";
                    }
                    let syms = &mut by_section[si];
                    syms.sort_by_key(|&i| bin.symbols[i].addr);
                    let end = sec.addr.saturating_add(sec.size);
                    let mut covered = sec.addr;
                    for &i in syms.iter() {
                        let s = &bin.symbols[i];
                        let from = s.addr.max(covered);
                        let to = s.addr.saturating_add(s.size).min(end);
                        if to <= from {
                            continue;
                        }
                        covered = to;
                        let n = (to - from) - overlap(si, from, to);
                        if n > 0 {
                            groups.entry(group_of(&s.name)).or_default().add(sec.kind, n);
                            attributed = attributed.saturating_add(n);
                        }
                    }
                }
                // The rest of the table's own section (with or without
                // symbols) is the table's: `runtime.findfunctab`, padding.
                if own_table && attributed < sec.size {
                    source = "pclntab";
                    let n = sec.size - attributed;
                    let e = groups.entry(PCLNTAB.to_string()).or_default();
                    e.add(sec.kind, n);
                    e.pclntab = e.pclntab.saturating_add(n);
                    attributed = sec.size;
                }
            }
            let attributed = attributed.min(sec.size);
            sections.push(SectionReport {
                name: sec.name.clone(),
                kind: sec.kind,
                size: sec.size,
                attributed,
                unattributed: sec.size - attributed,
                source: source.to_string(),
                file_size: sec.file_size,
                removed_by_strip: false,
            });
        }
        for sec in bin.unloaded.iter() {
            sections.push(SectionReport {
                name: sec.name.clone(),
                kind: sec.kind,
                size: sec.size,
                attributed: 0,
                unattributed: sec.size,
                source: "none".to_string(),
                file_size: sec.size,
                removed_by_strip: sec.kind.removed_by_strip(),
            });
        }
        sections.push(SectionReport {
            name: HEADERS.to_string(),
            kind: Kind::Headers,
            size: bin.headers,
            attributed: 0,
            unattributed: bin.headers,
            source: "none".to_string(),
            file_size: bin.headers,
            removed_by_strip: false,
        });
        let removed_by_strip = sections.iter().filter(|s| s.removed_by_strip).map(|s| s.file_size).sum();

        // The table's remainder is table whether the symbol table or the
        // section's rest gave it.
        if let Some(g) = groups.get_mut(PCLNTAB) {
            g.pclntab = g.total;
        }
        let bi = bin.buildinfo.as_ref();
        let mut modules: BTreeMap<String, Group> = BTreeMap::new();
        let mut packages: Vec<Group> = groups
            .into_iter()
            .map(|(name, mut g)| {
                g.module = module_of(&name, bi);
                g.name = name;
                let m = modules.entry(g.module.clone()).or_default();
                m.text = m.text.saturating_add(g.text);
                m.rodata = m.rodata.saturating_add(g.rodata);
                m.data = m.data.saturating_add(g.data);
                m.bss = m.bss.saturating_add(g.bss);
                m.other = m.other.saturating_add(g.other);
                m.total = m.total.saturating_add(g.total);
                m.pclntab = m.pclntab.saturating_add(g.pclntab);
                g
            })
            .collect();
        let mut modules: Vec<Group> = modules
            .into_iter()
            .map(|(name, mut g)| {
                g.name = name;
                g
            })
            .collect();
        sort_groups(&mut packages);
        sort_groups(&mut modules);

        let mut warnings = bin.warnings.clone();
        if !has_symbols {
            warnings.push(
                "no symbol table (stripped): only text and the function table are attributed, from the pclntab".into(),
            );
        }
        SizeReport {
            file: String::new(),
            format: bin.format.to_string(),
            arch: bin.arch.clone(),
            file_size: bin.file_size,
            go_version: bi.map(|b| b.go_version.clone()).unwrap_or_default(),
            pclntab_version: bin
                .pclntab
                .as_ref()
                .map(|t| serde_json::to_value(t.version).ok())
                .and_then(|v| v.and_then(|v| v.as_str().map(String::from)))
                .unwrap_or_default(),
            stripped: !has_symbols,
            sections,
            complete: true,
            removed_by_strip,
            packages,
            modules,
            partial: !bin.warnings.is_empty(),
            warnings,
            buildinfo: bin.buildinfo.clone(),
        }
    }
}

/// Largest total (file bytes) first, then largest bss, then by name.
pub fn sort_groups(g: &mut [Group]) {
    g.sort_by(|a, b| b.total.cmp(&a.total).then(b.bss.cmp(&a.bss)).then_with(|| a.name.cmp(&b.name)));
}
