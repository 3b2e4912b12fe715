//! Size attribution: every loaded section's bytes to packages and modules,
//! with what could not be attributed reported as such.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{BuildInfo, GoBinary, Kind, symname};

/// Group name for symbols that carry no Go package (C code, linker symbols).
pub const NO_PACKAGE: &str = "(no package)";
/// Group name for the Go function table itself (its section, or its symbols
/// when it lives in another section).
pub const PCLNTAB: &str = "(pclntab)";
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
}

impl Group {
    fn add(&mut self, kind: Kind, n: u64) {
        let field = match kind {
            Kind::Text => &mut self.text,
            Kind::Rodata => &mut self.rodata,
            Kind::Data => &mut self.data,
            Kind::Bss => &mut self.bss,
            Kind::Other => &mut self.other,
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
    /// Every section of [`GoBinary::sections`], in that order.
    pub sections: Vec<SectionReport>,
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
    let first = pkg.split('/').next().unwrap_or("");
    if !first.contains('.') {
        return STD.to_string();
    }
    UNKNOWN_MODULE.to_string()
}

impl SizeReport {
    /// Attributes the bytes of `bin`.
    pub fn new(bin: &GoBinary) -> SizeReport {
        let mut groups: BTreeMap<String, Group> = BTreeMap::new();
        let mut sections = Vec::with_capacity(bin.sections.len());
        let has_symbols = bin.symbols.iter().any(|s| s.section.is_some() && s.size > 0);

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
            let source;
            if Some(si) == bin.text_section
                && let Some(t) = &bin.pclntab
            {
                source = "pclntab";
                for f in &t.funcs {
                    let g = if f.foreign { NO_PACKAGE.to_string() } else { group_of(&f.name) };
                    let e = groups.entry(g).or_default();
                    e.add(sec.kind, f.size);
                    attributed = attributed.saturating_add(f.size);
                }
            } else if bin.pclntab.is_some() && (sec.name == ".gopclntab" || sec.name == "__gopclntab") {
                // The function table's own section: names, pc tables and
                // funcdata of every function, read above.
                source = "pclntab";
                groups.entry(PCLNTAB.to_string()).or_default().add(sec.kind, sec.size);
                attributed = sec.size;
            } else if !by_section[si].is_empty() {
                source = "symbols";
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
                    let n = to - from;
                    groups.entry(group_of(&s.name)).or_default().add(sec.kind, n);
                    attributed = attributed.saturating_add(n);
                }
            } else {
                source = "none";
            }
            let attributed = attributed.min(sec.size);
            sections.push(SectionReport {
                name: sec.name.clone(),
                kind: sec.kind,
                size: sec.size,
                attributed,
                unattributed: sec.size - attributed,
                source: source.to_string(),
            });
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
            warnings.push("no symbol table (stripped): only text is attributed, from the pclntab".into());
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
