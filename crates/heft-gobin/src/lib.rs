//! heft-gobin: reads Go binaries (ELF, Mach-O, PE; stripped or not) and
//! attributes their bytes to packages and modules.
//!
//! The containers are read with the `object` crate; Go's own structures
//! (pclntab, build information) by this crate. Every reader is
//! bounds-checked: bad input gives an [`Error`] or a result marked partial,
//! never a panic.

#![warn(missing_docs)]

pub mod buildinfo;
mod error;
pub mod pclntab;
pub mod size;
pub mod symname;

pub use buildinfo::{BuildInfo, Module};
pub use error::{Error, Result};
pub use pclntab::{Func, PclnVersion, Pclntab};
pub use size::{Group, SectionReport, SizeReport};

use object::{Object, ObjectSection, ObjectSymbol, SectionKind};

/// What a section holds, as far as size attribution cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Machine code.
    Text,
    /// Read-only data: strings, constants, type descriptors, the pclntab.
    Rodata,
    /// Initialized writable data (thread-local data included).
    Data,
    /// Zero-initialized data: memory at run time, no bytes in the file.
    Bss,
    /// Anything else that is loaded (notes, sections neither `object` nor the
    /// Go linker's names classify).
    Other,
}

/// A loaded section.
#[derive(Clone, Debug)]
pub struct Section {
    /// The name in the file (`.text`, `__rodata`).
    pub name: String,
    /// Virtual address.
    pub addr: u64,
    /// Size in memory, in bytes (bss sections take none in the file).
    pub size: u64,
    /// What it holds.
    pub kind: Kind,
}

/// A symbol from the symbol table (absent in stripped binaries).
#[derive(Clone, Debug)]
pub struct Symbol {
    /// The linker's name (`runtime.main`, `go:buildid`, `x_cgo_init`).
    pub name: String,
    /// Virtual address.
    pub addr: u64,
    /// Bytes. Where the container records none (Mach-O, PE, and the
    /// Go linker's size-0 region markers in ELF) it runs to the next symbol
    /// of its section.
    pub size: u64,
    /// Index into [`GoBinary::sections`].
    pub section: Option<usize>,
}

/// A Go binary, read.
#[derive(Debug)]
pub struct GoBinary {
    /// The container: `elf`, `macho` or `pe`.
    pub format: &'static str,
    /// The architecture as the `object` crate names it, lowercased
    /// (`x86_64`, `aarch64`).
    pub arch: String,
    /// Bytes of the whole file.
    pub file_size: u64,
    /// The non-empty sections loaded into memory, debug sections excluded,
    /// in section-table order.
    pub sections: Vec<Section>,
    /// The named symbols of the symbol table; empty when stripped.
    pub symbols: Vec<Symbol>,
    /// The build information; `None` when missing or unreadable (see
    /// `warnings`).
    pub buildinfo: Option<BuildInfo>,
    /// The function table, its `text_start` fixed up to the loaded text
    /// address; `None` when missing or unreadable (see `warnings`).
    pub pclntab: Option<Pclntab>,
    /// Index of the section holding the functions of the pclntab.
    pub text_section: Option<usize>,
    /// Problems that left the result partial (a damaged table, missing
    /// build information, ...). Empty when everything was read.
    pub warnings: Vec<String>,
}

impl GoBinary {
    /// Reads a binary from its bytes.
    pub fn parse(data: &[u8]) -> Result<GoBinary> {
        let file = object::File::parse(data).map_err(|e| Error::Container(e.to_string()))?;
        let format = match file.format() {
            object::BinaryFormat::Elf => "elf",
            object::BinaryFormat::MachO => "macho",
            object::BinaryFormat::Pe => "pe",
            _ => return Err(Error::Container("unsupported container format".into())),
        };
        let mut warnings = Vec::new();
        let mut sections = Vec::new();
        // object's section index -> ours.
        let mut index_map = std::collections::HashMap::new();
        let mut pcln_data: Option<&[u8]> = None;
        let mut bi_data: Option<&[u8]> = None;
        let mut first_writable_data: Option<&[u8]> = None;
        for s in file.sections() {
            let name = s.name().unwrap_or("").to_string();
            let kind = match s.kind() {
                SectionKind::Text => Kind::Text,
                SectionKind::ReadOnlyData | SectionKind::ReadOnlyString | SectionKind::ReadOnlyDataWithRel => {
                    Kind::Rodata
                }
                SectionKind::Data | SectionKind::Tls => Kind::Data,
                SectionKind::UninitializedData | SectionKind::UninitializedTls | SectionKind::Common => Kind::Bss,
                SectionKind::Debug | SectionKind::DebugString | SectionKind::Metadata | SectionKind::Note => {
                    Kind::Other
                }
                _ => Kind::Other,
            };
            let kind = if kind == Kind::Other { kind_by_name(&name) } else { kind };
            let is_debug = name.starts_with(".debug")
                || name.starts_with(".zdebug")
                || name.starts_with("__debug")
                || name.starts_with("__zdebug");
            let loaded = s.address() != 0 || matches!(kind, Kind::Bss) && s.size() > 0 && format != "elf";
            let sdata = s.data().unwrap_or(&[]);
            if name == ".gopclntab" || name == "__gopclntab" {
                pcln_data = Some(sdata);
            }
            if name == ".go.buildinfo" || name == "__go_buildinfo" {
                bi_data = Some(sdata);
            }
            if format == "pe" && first_writable_data.is_none() && kind == Kind::Data {
                first_writable_data = Some(sdata);
            }
            if loaded && !is_debug && s.size() > 0 {
                index_map.insert(s.index().0, sections.len());
                sections.push(Section { name, addr: s.address(), size: s.size(), kind });
            }
        }
        let mut symbols = Vec::new();
        for sym in file.symbols() {
            let Ok(name) = sym.name() else { continue };
            if name.is_empty() {
                continue;
            }
            let section = sym.section_index().and_then(|i| index_map.get(&i.0).copied());
            symbols.push(Symbol { name: name.to_string(), addr: sym.address(), size: sym.size(), section });
        }
        if format != "elf" {
            infer_sizes(&mut symbols, &sections, |_| true);
        } else {
            // The Go linker marks content-addressed regions (type
            // descriptors, strings, GC bitmaps) with one size-0 symbol each.
            infer_sizes(&mut symbols, &sections, is_region_marker);
        }

        // pclntab: its section, else the runtime.pclntab symbol, else a scan.
        if pcln_data.is_none()
            && let Some(sym) = symbols.iter().find(|s| s.name == "runtime.pclntab")
        {
            pcln_data = data_at(&file, sym.addr);
        }
        let mut pclntab = None;
        let pcln_result = match pcln_data {
            Some(d) => pclntab::parse(d),
            None => scan_pclntab(&file).unwrap_or(Err(Error::NoPclntab)),
        };
        match pcln_result {
            Ok(t) => {
                if let Some(p) = &t.partial {
                    warnings.push(format!("pclntab: {p}"));
                }
                pclntab = Some(t);
            }
            Err(e) => warnings.push(e.to_string()),
        }

        let bi_blob = bi_data.and_then(buildinfo::find).or_else(|| first_writable_data.and_then(buildinfo::find));
        let buildinfo = match bi_blob.map(buildinfo::parse) {
            Some(Ok(b)) => Some(b),
            Some(Err(e)) => {
                warnings.push(e.to_string());
                None
            }
            None => {
                warnings.push(Error::NoBuildInfo.to_string());
                None
            }
        };
        if pclntab.is_none() && buildinfo.is_none() {
            return Err(Error::NotGo);
        }
        let text_section = pclntab.as_ref().and_then(|t| {
            sections
                .iter()
                .position(|s| {
                    s.kind == Kind::Text && s.addr <= t.text_start && t.text_start < s.addr.saturating_add(s.size)
                })
                .or_else(|| {
                    sections
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| s.kind == Kind::Text)
                        .max_by_key(|(_, s)| s.size)
                        .map(|(i, _)| i)
                })
        });
        // The table's own text start may be unrelocated (0): the text
        // section's start, or `runtime.text`, is the first function's entry.
        if let (Some(t), Some(ti)) = (pclntab.as_mut(), text_section) {
            let sec = &sections[ti];
            if !(sec.addr <= t.text_start && t.text_start < sec.addr.saturating_add(sec.size)) {
                t.text_start = symbols.iter().find(|s| s.name == "runtime.text").map_or(sec.addr, |s| s.addr);
            }
        }
        Ok(GoBinary {
            format,
            arch: format!("{:?}", file.architecture()).to_lowercase(),
            file_size: data.len() as u64,
            sections,
            symbols,
            buildinfo,
            pclntab,
            text_section,
            warnings,
        })
    }
}

/// The file bytes from a virtual address to the end of its section.
fn data_at<'a>(file: &object::File<'a>, addr: u64) -> Option<&'a [u8]> {
    for s in file.sections() {
        if s.address() <= addr && addr < s.address().saturating_add(s.size()) {
            let d = s.data().ok()?;
            return d.get(usize::try_from(addr - s.address()).ok()?..);
        }
    }
    None
}

/// Looks for a pclntab header in the read-only sections (stripped PE, PIE).
fn scan_pclntab(file: &object::File<'_>) -> Option<Result<Pclntab>> {
    let mut last_err = None;
    for s in file.sections() {
        if !matches!(
            s.kind(),
            SectionKind::ReadOnlyData
                | SectionKind::ReadOnlyDataWithRel
                | SectionKind::Data
                | SectionKind::ReadOnlyString
        ) {
            continue;
        }
        let Ok(d) = s.data() else { continue };
        let mut off = 0;
        while off + 16 <= d.len() {
            if pclntab::looks_like_header(&d[off..]) {
                match pclntab::parse(&d[off..]) {
                    Ok(t) if !t.funcs.is_empty() => return Some(Ok(t)),
                    Ok(_) => {}
                    Err(e) => last_err = Some(e),
                }
            }
            off += 4;
        }
    }
    last_err.map(Err)
}

/// Size-0 ELF symbols that start a region of content-addressed data.
fn is_region_marker(name: &str) -> bool {
    name.ends_with(".*") || name == "type:*" || name == "go:funcdesc"
}

/// Mach-O and PE symbols carry no size: each runs to the next symbol of its
/// section, or to the section's end.
fn infer_sizes(symbols: &mut [Symbol], sections: &[Section], which: impl Fn(&str) -> bool) {
    let mut order: Vec<usize> = (0..symbols.len()).filter(|&i| symbols[i].section.is_some()).collect();
    order.sort_by_key(|&i| (symbols[i].section, symbols[i].addr));
    for w in 0..order.len() {
        let i = order[w];
        if symbols[i].size != 0 || !which(&symbols[i].name) {
            continue;
        }
        let sec = symbols[i].section.unwrap_or(0);
        let end = sections[sec].addr.saturating_add(sections[sec].size);
        let mut next = end;
        for &j in &order[w + 1..] {
            if symbols[j].section != symbols[i].section {
                break;
            }
            if symbols[j].addr > symbols[i].addr {
                next = symbols[j].addr.min(end);
                break;
            }
        }
        symbols[i].size = next.saturating_sub(symbols[i].addr);
    }
}

/// The kind of a section `object` leaves unclassified (Mach-O's Go
/// sections), by the names the Go linker gives them.
fn kind_by_name(name: &str) -> Kind {
    let n = name.trim_start_matches(['.', '_']);
    if n.contains("bss") {
        Kind::Bss
    } else if n.contains("rodata") || n.contains("gopclntab") || n.contains("typelink") || n.contains("itablink") {
        Kind::Rodata
    } else if n.contains("data") || n.starts_with("go_") || n.starts_with("go.") || n == "got" {
        Kind::Data
    } else {
        Kind::Other
    }
}
