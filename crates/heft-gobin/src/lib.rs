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
pub use pclntab::{Func, FuncData, PclnVersion, Pclntab};
pub use size::{Group, SectionReport, SizeReport};

use object::{Object, ObjectSection, ObjectSegment, ObjectSymbol, SectionKind};

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
    /// Go linker's names classify), or, in a section that is not loaded, the
    /// section names (`.shstrtab`) and other metadata.
    Other,
    /// Not loaded: debug information (DWARF), which `-ldflags=-w` omits.
    Debug,
    /// Not loaded: the symbol table and its strings, which `-ldflags=-s`
    /// omits.
    Symtab,
    /// Not loaded: the file's headers (ELF, program and section headers,
    /// Mach-O load commands, PE headers), the dynamic linker's data of
    /// Mach-O's `__LINKEDIT` other than the symbol table, and the padding
    /// between sections.
    Headers,
}

impl Kind {
    /// Whether building with `-ldflags=-s -w` leaves these bytes out of the
    /// file: debug information and the symbol table.
    pub fn removed_by_strip(self) -> bool {
        matches!(self, Kind::Debug | Kind::Symtab)
    }
}

/// A section, or a part of the file that is no section (a Mach-O or PE
/// symbol table).
#[derive(Clone, Debug)]
pub struct Section {
    /// The name in the file (`.text`, `__rodata`).
    pub name: String,
    /// Virtual address (0 when not loaded).
    pub addr: u64,
    /// Size in memory, in bytes (bss sections take none in the file); the
    /// size in the file for what is not loaded.
    pub size: u64,
    /// What it holds.
    pub kind: Kind,
    /// Offset in the file.
    pub offset: u64,
    /// Bytes in the file: `size`, 0 for bss, less than `size` where the
    /// rest is zeroed at load time (the bss part of a PE `.data`).
    pub file_size: u64,
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
    /// in section-table order. A PE section whose size in memory exceeds
    /// its bytes in the file (`.data` with the bss after it) is split in
    /// two: the part in the file, and `NAME (zeroed)` of kind bss.
    pub sections: Vec<Section>,
    /// The rest of the file: sections that are not loaded (DWARF, `.symtab`,
    /// `.strtab`, `.shstrtab`), the Mach-O and PE symbol and string tables,
    /// the rest of Mach-O's `__LINKEDIT`, in file order.
    pub unloaded: Vec<Section>,
    /// Bytes of the file in no section of `sections` or `unloaded`: headers
    /// and padding. With those, the file is covered exactly.
    pub headers: u64,
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
    /// Virtual address of the pclntab (in its own section, or inside
    /// another: PE, stripped or externally linked binaries).
    pub pclntab_addr: Option<u64>,
    /// Virtual address of the funcdata the table's offsets are relative to
    /// (`go:func.*`): from the symbol table, or, without one, right after the
    /// table where Go 1.26+ puts it.
    pub gofunc: Option<u64>,
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
        let mut unloaded = Vec::new();
        // object's section index -> ours.
        let mut index_map = std::collections::HashMap::new();
        let mut pcln: Option<(&[u8], u64)> = None;
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
                _ => Kind::Other,
            };
            let kind = if kind == Kind::Other { kind_by_name(&name) } else { kind };
            let is_debug = is_debug_section(&name);
            let loaded = s.address() != 0 || matches!(kind, Kind::Bss) && s.size() > 0 && format != "elf";
            let sdata = s.data().unwrap_or(&[]);
            let (offset, file_size) = s.file_range().unwrap_or((0, 0));
            if name == ".gopclntab" || name == "__gopclntab" {
                pcln = Some((sdata, s.address()));
            }
            if name == ".go.buildinfo" || name == "__go_buildinfo" {
                bi_data = Some(sdata);
            }
            if format == "pe" && first_writable_data.is_none() && kind == Kind::Data {
                first_writable_data = Some(sdata);
            }
            // PE files carry their COFF symbol table in a `.symtab` section
            // with an address, never loaded all the same.
            let is_symtab = matches!(name.as_str(), ".symtab" | ".strtab");
            if loaded && !is_debug && !is_symtab && s.size() > 0 {
                let file_size = if kind == Kind::Bss { 0 } else { file_size.min(s.size()) };
                index_map.insert(s.index().0, sections.len());
                sections.push(Section { name, addr: s.address(), size: s.size(), kind, offset, file_size });
            } else if file_size > 0 {
                let kind = if is_debug {
                    Kind::Debug
                } else if is_symtab {
                    Kind::Symtab
                } else {
                    Kind::Other
                };
                unloaded.push(Section { name, addr: 0, size: file_size, kind, offset, file_size });
            }
        }
        // The symbol tables that are no section (Mach-O, and PE where no
        // `.symtab` section holds them).
        let outside: Vec<Section> = tables_outside_sections(&file, data)
            .into_iter()
            .filter(|t| {
                sections.iter().chain(&unloaded).all(|s| {
                    s.file_size == 0 || t.offset >= s.offset + s.file_size || t.offset + t.file_size <= s.offset
                })
            })
            .collect();
        unloaded.extend(outside);
        unloaded.sort_by_key(|s| s.offset);
        let headers = uncovered(data.len() as u64, sections.iter().chain(&unloaded));

        let mut symbols = Vec::new();
        for sym in file.symbols() {
            let Ok(name) = sym.name() else { continue };
            // Mach-O's linker prefixes C-level names with `_`.
            let name = if format == "macho" { name.strip_prefix('_').unwrap_or(name) } else { name };
            if name.is_empty() {
                continue;
            }
            let section = sym.section_index().and_then(|i| index_map.get(&i.0).copied());
            symbols.push(Symbol { name: name.to_string(), addr: sym.address(), size: sym.size(), section });
        }
        if format != "elf" {
            // The linker's boundary markers (`runtime.types`, `runtime.edata`)
            // are no data of their own: left at size 0, they do not take
            // the type descriptors or the data after them.
            infer_sizes(&mut symbols, &sections, |n| !is_boundary_marker(n));
        } else {
            // The Go linker marks content-addressed regions (type
            // descriptors, strings, GC bitmaps) with one size-0 symbol each.
            infer_sizes(&mut symbols, &sections, is_region_marker);
        }
        split_zeroed(&mut sections, &mut symbols);

        // pclntab: its section, else the runtime.pclntab symbol, else a scan.
        if pcln.is_none()
            && let Some(sym) = symbols.iter().find(|s| s.name == "runtime.pclntab")
        {
            pcln = data_at(&file, sym.addr).map(|d| (d, sym.addr));
        }
        let mut pclntab = None;
        let mut pclntab_addr = None;
        let pcln_result = match pcln {
            Some((d, addr)) => pclntab::parse(d).map(|t| (t, addr)),
            None => scan_pclntab(&file).unwrap_or(Err(Error::NoPclntab)),
        };
        match pcln_result {
            Ok((t, addr)) => {
                if let Some(p) = &t.partial {
                    warnings.push(format!("pclntab: {p}"));
                }
                pclntab = Some(t);
                pclntab_addr = Some(addr);
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
        let gofunc = find_gofunc(&symbols, &sections, pclntab.as_ref(), pclntab_addr, buildinfo.as_ref());
        Ok(GoBinary {
            format,
            arch: format!("{:?}", file.architecture()).to_lowercase(),
            file_size: data.len() as u64,
            sections,
            unloaded,
            headers,
            symbols,
            buildinfo,
            pclntab,
            text_section,
            pclntab_addr,
            gofunc,
            warnings,
        })
    }
}

fn is_debug_section(name: &str) -> bool {
    let n = name.trim_start_matches(['.', '_']);
    n.starts_with("debug") || n.starts_with("zdebug") || name == "__apple_names" || name.starts_with("__apple_")
}

/// Where the funcdata starts: the `go:func.*` symbol (`go.func.*` before Go
/// 1.20), else, for Go 1.26+ (which puts it right after the table, in the
/// same section), the table's end, if every funcdata offset then lies in
/// that section.
fn find_gofunc(
    symbols: &[Symbol],
    sections: &[Section],
    table: Option<&Pclntab>,
    table_addr: Option<u64>,
    bi: Option<&BuildInfo>,
) -> Option<u64> {
    if let Some(s) = symbols.iter().find(|s| s.name == "go:func.*" || s.name == "go.func.*") {
        return Some(s.addr);
    }
    let (t, addr) = (table?, table_addr?);
    let minor =
        bi?.go_version.strip_prefix("go1.")?.split(|c: char| !c.is_ascii_digit()).next()?.parse::<u32>().ok()?;
    if minor < 26 || t.extent == 0 {
        return None;
    }
    let start = addr.checked_add(t.extent)?;
    let last = u64::from(t.funcdata.last()?.offset);
    let sec = sections.iter().find(|s| s.addr <= addr && addr < s.addr.saturating_add(s.size))?;
    (start.checked_add(last)? < sec.addr.saturating_add(sec.file_size)).then_some(start)
}

/// Bytes of a file of `len` bytes that none of `parts` covers.
fn uncovered<'a>(len: u64, parts: impl Iterator<Item = &'a Section>) -> u64 {
    let mut ranges: Vec<(u64, u64)> = parts
        .filter(|s| s.file_size > 0)
        .map(|s| (s.offset.min(len), s.offset.saturating_add(s.file_size).min(len)))
        .collect();
    ranges.sort_unstable();
    let (mut covered, mut reach) = (0u64, 0u64);
    for (a, b) in ranges {
        let a = a.max(reach);
        if b > a {
            covered += b - a;
            reach = b;
        }
    }
    len - covered
}

/// The Mach-O and PE symbol and string tables (no sections there), and the
/// rest of Mach-O's `__LINKEDIT`.
fn tables_outside_sections(file: &object::File<'_>, data: &[u8]) -> Vec<Section> {
    let region = |name: &str, kind: Kind, offset: u64, size: u64| Section {
        name: name.to_string(),
        addr: 0,
        size,
        kind,
        offset,
        file_size: size,
    };
    let len = data.len() as u64;
    let mut out = Vec::new();
    match file.format() {
        object::BinaryFormat::MachO => {
            let Some((symoff, nsyms, stroff, strsize)) = macho_symtab(data) else { return out };
            let nlist = if file.is_64() { 16 } else { 12 };
            let sym = (u64::from(symoff), u64::from(nsyms) * nlist);
            let strs = (u64::from(stroff), u64::from(strsize));
            let mut rest = None;
            for seg in file.segments() {
                if seg.name().ok().flatten() == Some("__LINKEDIT") {
                    let (off, size) = seg.file_range();
                    let inside = |r: (u64, u64)| r.0 >= off && r.0 + r.1 <= off + size;
                    let mut n = size;
                    for r in [sym, strs] {
                        if inside(r) {
                            n -= r.1;
                        }
                    }
                    rest = Some((off, n, size));
                }
            }
            if sym.1 > 0 && sym.0 + sym.1 <= len {
                out.push(region("(symbol table)", Kind::Symtab, sym.0, sym.1));
            }
            if strs.1 > 0 && strs.0 + strs.1 <= len {
                out.push(region("(string table)", Kind::Symtab, strs.0, strs.1));
            }
            // The rest of __LINKEDIT (dyld information, indirect symbols,
            // code signature) counts with the headers: listed apart, with
            // its offset, so that the uncovered bytes leave it out.
            if let Some((off, n, size)) = rest
                && off + size <= len
                && n > 0
            {
                let mut r = region("__LINKEDIT (other)", Kind::Headers, off, n);
                // Covers the whole segment for `uncovered`, but only the
                // bytes not in the two tables are its size.
                r.file_size = size;
                r.size = n;
                out.push(r);
            }
        }
        object::BinaryFormat::Pe => {
            let Some((symoff, nsyms)) = pe_symtab(data) else { return out };
            let symoff = u64::from(symoff);
            let syms = u64::from(nsyms) * 18;
            if symoff == 0 || symoff + syms > len {
                return out;
            }
            if syms > 0 {
                out.push(region("(symbol table)", Kind::Symtab, symoff, syms));
            }
            let stroff = symoff + syms;
            if let Some(b) = data.get(stroff as usize..stroff as usize + 4) {
                let n = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                if n >= 4 && stroff + n <= len {
                    out.push(region("(string table)", Kind::Symtab, stroff, n));
                }
            }
        }
        _ => {}
    }
    out
}

/// A Mach-O file's LC_SYMTAB: symbol offset, count, string offset, size.
fn macho_symtab(data: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let magic = u32::from_le_bytes(data.get(0..4)?.try_into().ok()?);
    let (is64, big) = match magic {
        0xfeed_face => (false, false),
        0xfeed_facf => (true, false),
        0xcefa_edfe => (false, true),
        0xcffa_edfe => (true, true),
        _ => return None,
    };
    let u32_at = |off: usize| -> Option<u32> {
        let b: [u8; 4] = data.get(off..off + 4)?.try_into().ok()?;
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let ncmds = u32_at(16)?;
    let mut off = if is64 { 32 } else { 28 };
    for _ in 0..ncmds.min(4096) {
        let cmd = u32_at(off)?;
        let size = u32_at(off + 4)? as usize;
        if cmd == 2 {
            return Some((u32_at(off + 8)?, u32_at(off + 12)?, u32_at(off + 16)?, u32_at(off + 20)?));
        }
        if size < 8 {
            return None;
        }
        off = off.checked_add(size)?;
    }
    None
}

/// A PE file's COFF symbol table: offset and number of records.
fn pe_symtab(data: &[u8]) -> Option<(u32, u32)> {
    let u32_at = |off: usize| -> Option<u32> { Some(u32::from_le_bytes(data.get(off..off + 4)?.try_into().ok()?)) };
    let pe = u32_at(0x3c)? as usize;
    if data.get(pe..pe + 4)? != b"PE\0\0" {
        return None;
    }
    Some((u32_at(pe + 12)?, u32_at(pe + 16)?))
}

/// Splits a section whose size in memory exceeds its bytes in the file (PE
/// `.data`, followed by the zero-initialized data) into the part in the file
/// and a bss part, and moves the symbols of the second part to it.
fn split_zeroed(sections: &mut Vec<Section>, symbols: &mut [Symbol]) {
    for i in 0..sections.len() {
        let s = &sections[i];
        if s.kind == Kind::Bss || s.file_size == 0 || s.file_size >= s.size {
            continue;
        }
        let zeroed = Section {
            name: format!("{} (zeroed)", s.name),
            addr: s.addr + s.file_size,
            size: s.size - s.file_size,
            kind: Kind::Bss,
            offset: 0,
            file_size: 0,
        };
        let at = zeroed.addr;
        let j = sections.len();
        sections[i].size = sections[i].file_size;
        sections.push(zeroed);
        for sym in symbols.iter_mut() {
            if sym.section == Some(i) && sym.addr >= at {
                sym.section = Some(j);
            }
        }
    }
}

/// The linker's markers of where a region starts or ends (`runtime.types`,
/// `runtime.etext`): no bytes of their own.
fn is_boundary_marker(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("runtime.") else { return false };
    let rest = rest.strip_prefix('e').filter(|r| !r.is_empty() && *r != "nd").unwrap_or(rest);
    matches!(
        rest,
        "text"
            | "types"
            | "rodata"
            | "noptrdata"
            | "data"
            | "bss"
            | "noptrbss"
            | "end"
            | "covctrs"
            | "gcdata"
            | "gcbss"
            | "pclntab"
            | "typelink"
            | "itablink"
            | "gosymtab"
    ) || name == "runtime.end"
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
fn scan_pclntab(file: &object::File<'_>) -> Option<Result<(Pclntab, u64)>> {
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
                    Ok(t) if !t.funcs.is_empty() => return Some(Ok((t, s.address() + off as u64))),
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
