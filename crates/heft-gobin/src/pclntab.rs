//! Go's function table (pclntab): function names and sizes.
//!
//! Formats (see the Go sources, runtime/symtab.go and debug/gosym): magic
//! 0xFFFFFFFB (Go 1.2–1.15), 0xFFFFFFFA (1.16–1.17), 0xFFFFFFF0 (1.18–1.19),
//! 0xFFFFFFF1 (1.20+). Every read is bounds-checked: corrupted tables give an
//! error or a partial table, never a panic.

use crate::error::{Error, Result};

/// The pclntab format version, by magic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum PclnVersion {
    /// Magic 0xFFFFFFFB: Go 1.2 to 1.15.
    #[serde(rename = "go1.2")]
    Go12,
    /// Magic 0xFFFFFFFA: Go 1.16 and 1.17.
    #[serde(rename = "go1.16")]
    Go116,
    /// Magic 0xFFFFFFF0: Go 1.18 and 1.19.
    #[serde(rename = "go1.18")]
    Go118,
    /// Magic 0xFFFFFFF1: Go 1.20 and later.
    #[serde(rename = "go1.20")]
    Go120,
}

impl PclnVersion {
    /// The version a header magic (in the file's byte order) stands for.
    pub fn from_magic(m: u32) -> Option<Self> {
        match m {
            0xFFFF_FFFB => Some(Self::Go12),
            0xFFFF_FFFA => Some(Self::Go116),
            0xFFFF_FFF0 => Some(Self::Go118),
            0xFFFF_FFF1 => Some(Self::Go120),
            _ => None,
        }
    }
}

/// One function of the table.
#[derive(Clone, Debug)]
pub struct Func {
    /// The linker's symbol name (`net/http.(*Server).Serve`); see
    /// [`crate::symname`].
    pub name: String,
    /// Offset of the entry from the first function's entry.
    pub offset: u64,
    /// Bytes of code: the extent of the function's pc-value tables, which the
    /// linker writes over exactly the function's code (alignment padding
    /// excluded). Equal to the symbol size `go tool nm -size` shows.
    pub size: u64,
    /// Distance to the next function's entry (code plus alignment padding).
    pub span: u64,
    /// No pc-value tables: code the Go toolchain did not compile (C code
    /// linked by cgo). `size` is then the span.
    pub foreign: bool,
    /// Bytes of the function table charged to this function (Go 1.18+
    /// tables; 0 for older ones): its `_func` record and entry, its name,
    /// the pc-value tables it is the first to reference, and, for the first
    /// function of a compilation unit, the unit's file list and the file
    /// names no earlier unit listed. See [`Pclntab::shared`].
    pub table: u64,
}

/// One funcdata object (stack maps, inline tree, argument info, ...): where
/// it starts, as an offset from `go:func.*`, and the first function that
/// references it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FuncData {
    /// Offset from the start of the funcdata (`moduledata.gofunc`).
    pub offset: u32,
    /// Index into [`Pclntab::funcs`] of the first function referencing it.
    pub func: u32,
}

/// A parsed function table.
#[derive(Clone, Debug)]
pub struct Pclntab {
    /// The layout, from the magic.
    pub version: PclnVersion,
    /// The target's pointer size in bytes (4 or 8), header byte 7.
    pub ptr_size: u8,
    /// The pc quantum, header byte 6: the minimum instruction size (1 on
    /// x86, 4 on ARM), the unit of pc deltas in the pc-value tables.
    pub quantum: u8,
    /// Entry address of the first function as recorded (may be 0 in files
    /// whose table is relocated at load time).
    pub text_start: u64,
    /// The functions, in entry order.
    pub funcs: Vec<Func>,
    /// Bytes from the first function's entry to the end of the last one.
    pub text_span: u64,
    /// Set when the table was cut short by corrupted entries: `funcs` holds
    /// the functions read before the damage.
    pub partial: Option<String>,
    /// Bytes from the header to the end of the last `_func` record: the
    /// table proper (`runtime.pclntab` without the funcdata and
    /// `runtime.findfunctab` the linker may place after it). 0 when not
    /// known (tables before Go 1.18).
    pub extent: u64,
    /// `extent` less the bytes charged to functions ([`Func::table`]): the
    /// header, the end entry of the function table, alignment padding and
    /// bytes no function references.
    pub shared: u64,
    /// The funcdata objects the functions reference, by offset, each once
    /// (Go 1.18+ tables; empty for older ones).
    pub funcdata: Vec<FuncData>,
}

struct Reader<'a> {
    data: &'a [u8],
    big: bool,
    ptr: usize,
}

impl Reader<'_> {
    fn bytes(&self, off: usize, n: usize) -> Option<&[u8]> {
        self.data.get(off..off.checked_add(n)?)
    }
    fn u32(&self, off: usize) -> Option<u32> {
        let b: [u8; 4] = self.bytes(off, 4)?.try_into().ok()?;
        Some(if self.big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }
    fn uptr(&self, off: usize) -> Option<u64> {
        if self.ptr == 4 {
            return self.u32(off).map(u64::from);
        }
        let b: [u8; 8] = self.bytes(off, 8)?.try_into().ok()?;
        Some(if self.big { u64::from_be_bytes(b) } else { u64::from_le_bytes(b) })
    }
    fn cstr(&self, off: usize) -> Option<&[u8]> {
        let rest = self.data.get(off..)?;
        let end = rest.iter().position(|&c| c == 0)?;
        Some(&rest[..end])
    }
}

fn uvarint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *data.get(*pos)?;
        *pos += 1;
        if shift >= 64 {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
    }
}

/// The pc extent covered by a pc-value table at `off` in `tab`.
fn pcvalue_extent(tab: &[u8], off: usize, quantum: u64) -> Option<u64> {
    let mut pos = off;
    let mut pc: u64 = 0;
    let mut first = true;
    // A function's table cannot have more steps than bytes left.
    loop {
        let vd = uvarint(tab, &mut pos)?;
        if vd == 0 && !first {
            return Some(pc);
        }
        first = false;
        let pd = uvarint(tab, &mut pos)?;
        pc = pc.checked_add(pd.checked_mul(quantum)?)?;
    }
}

/// Bytes of the pc-value table at `off` in `tab`, its terminating 0
/// included.
fn pcvalue_len(tab: &[u8], off: usize) -> Option<u64> {
    let mut pos = off;
    let mut first = true;
    loop {
        let vd = uvarint(tab, &mut pos)?;
        if vd == 0 && !first {
            return Some((pos - off) as u64);
        }
        first = false;
        uvarint(tab, &mut pos)?;
    }
}

/// Checks whether `data` starts with something that looks like a pclntab
/// header (magic, zero padding, quantum, pointer size).
pub fn looks_like_header(data: &[u8]) -> bool {
    if data.len() < 16 || data[4] != 0 || data[5] != 0 {
        return false;
    }
    if !matches!(data[6], 1 | 2 | 4) || !matches!(data[7], 4 | 8) {
        return false;
    }
    let le = u32::from_le_bytes([data[0], data[1], data[2], data[3]]);
    let be = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
    PclnVersion::from_magic(le).is_some() || PclnVersion::from_magic(be).is_some()
}

/// Parses a pclntab that starts at `data[0]` (it may run past its end).
pub fn parse(data: &[u8]) -> Result<Pclntab> {
    if data.len() < 8 {
        return Err(Error::BadPclntab("truncated header".into()));
    }
    let head = [data[0], data[1], data[2], data[3]];
    let (version, big) =
        match (PclnVersion::from_magic(u32::from_le_bytes(head)), PclnVersion::from_magic(u32::from_be_bytes(head))) {
            (Some(v), _) => (v, false),
            (None, Some(v)) => (v, true),
            (None, None) => return Err(Error::UnknownPclntab(u32::from_le_bytes(head))),
        };
    let quantum = data[6];
    let ptr_size = data[7];
    if data[4] != 0 || data[5] != 0 || !matches!(quantum, 1 | 2 | 4) || !matches!(ptr_size, 4 | 8) {
        return Err(Error::BadPclntab("bad header (padding, pc quantum or pointer size)".into()));
    }
    let r = Reader { data, big, ptr: ptr_size as usize };
    let ps = ptr_size as usize;
    let bad = |what: &str| Error::BadPclntab(format!("{what} out of bounds"));
    let word = |i: usize| r.uptr(8 + i * ps).ok_or_else(|| bad("header"));
    let to_usize = |v: u64, what: &str| -> Result<usize> {
        usize::try_from(v).ok().filter(|&v| v <= data.len()).ok_or_else(|| bad(what))
    };

    // Where each table starts, relative to `data`.
    struct Layout {
        nfunc: u64,
        text_start: u64,
        funcnames: usize,
        pctab: usize,
        functab: usize,
        /// Entries of the function table are `u32` offsets (1.18+) or pointers.
        entry_u32: bool,
        /// Offset of `pcsp` in a `_func` record.
        pcsp_field: usize,
    }
    let lay = match version {
        PclnVersion::Go118 | PclnVersion::Go120 => Layout {
            nfunc: word(0)?,
            text_start: word(2)?,
            funcnames: to_usize(word(3)?, "function name table")?,
            pctab: to_usize(word(6)?, "pc table")?,
            functab: to_usize(word(7)?, "function table")?,
            entry_u32: true,
            pcsp_field: 16,
        },
        PclnVersion::Go116 => Layout {
            nfunc: word(0)?,
            text_start: 0,
            funcnames: to_usize(word(2)?, "function name table")?,
            pctab: to_usize(word(5)?, "pc table")?,
            functab: to_usize(word(6)?, "function table")?,
            entry_u32: false,
            pcsp_field: ps + 12,
        },
        PclnVersion::Go12 => Layout {
            nfunc: word(0)?,
            text_start: 0,
            funcnames: 0,
            pctab: 0,
            functab: 8 + ps,
            entry_u32: false,
            pcsp_field: ps + 12,
        },
    };
    let field = if lay.entry_u32 { 4 } else { ps };
    let nfunc = usize::try_from(lay.nfunc).map_err(|_| bad("function count"))?;
    let table_len = nfunc
        .checked_mul(2)
        .and_then(|n| n.checked_add(1))
        .and_then(|n| n.checked_mul(field))
        .ok_or_else(|| bad("function table"))?;
    if lay.functab.checked_add(table_len).is_none_or(|end| end > data.len()) {
        return Err(Error::BadPclntab(format!("function table of {nfunc} functions runs past the end of the data")));
    }
    let entry_at = |i: usize| -> Option<u64> {
        let off = lay.functab + i * 2 * field;
        if lay.entry_u32 { r.u32(off).map(u64::from) } else { r.uptr(off) }
    };
    let funcoff_at = |i: usize| -> Option<usize> {
        let off = lay.functab + (i * 2 + 1) * field;
        let v = if lay.entry_u32 { r.u32(off).map(u64::from) } else { r.uptr(off) }?;
        usize::try_from(v).ok()
    };
    // `_func` offsets are relative to the function table (1.16+) or to the
    // start of the pclntab (1.2).
    let func_base = if version == PclnVersion::Go12 { 0 } else { lay.functab };
    let first_entry = if nfunc > 0 { entry_at(0).ok_or_else(|| bad("entry"))? } else { 0 };
    let last_entry = entry_at(nfunc).ok_or_else(|| bad("end entry"))?;

    let mut funcs = Vec::with_capacity(nfunc);
    let mut partial = None;
    let pctab = &data[lay.pctab..];
    for i in 0..nfunc {
        let read = || -> std::result::Result<Func, String> {
            let entry = entry_at(i).ok_or("entry out of bounds")?;
            let next = entry_at(i + 1).ok_or("entry out of bounds")?;
            if next < entry {
                return Err(format!("function {i}: entries out of order"));
            }
            let fo = funcoff_at(i).and_then(|o| o.checked_add(func_base)).ok_or("function record out of bounds")?;
            let name_off = r.u32(fo.checked_add(field).ok_or("overflow")?).ok_or("name offset")?;
            let name_pos = lay.funcnames.checked_add(name_off as usize).ok_or("name offset out of bounds")?;
            let name = r.cstr(name_pos).ok_or_else(|| format!("function {i}: name out of bounds"))?;
            let span = next - entry;
            let pcsp_at = fo.checked_add(lay.pcsp_field).ok_or("pcsp out of bounds")?;
            let pcsp = r.u32(pcsp_at).ok_or("pcsp out of bounds")? as usize;
            let size = if pcsp == 0 {
                span
            } else {
                pcvalue_extent(pctab, pcsp, u64::from(quantum))
                    .ok_or_else(|| format!("function {i}: bad pc-value table"))?
                    .min(span)
            };
            Ok(Func {
                name: String::from_utf8_lossy(name).into_owned(),
                offset: entry - first_entry,
                size,
                span,
                foreign: pcsp == 0,
                table: 0,
            })
        };
        match read() {
            Ok(f) => funcs.push(f),
            Err(e) => {
                partial = Some(format!("stopped after {} of {nfunc} functions: {e}", funcs.len()));
                break;
            }
        }
    }
    let modern = version == PclnVersion::Go118 || version == PclnVersion::Go120;
    let text_start = if modern { lay.text_start } else { first_entry };
    let mut table = Pclntab {
        version,
        ptr_size,
        quantum,
        text_start,
        funcs,
        text_span: last_entry.saturating_sub(first_entry),
        partial,
        extent: 0,
        shared: 0,
        funcdata: Vec::new(),
    };
    if modern && table.partial.is_none() {
        let tabs = Tables {
            cutab: to_usize(word(4)?, "cu table")?,
            filetab: to_usize(word(5)?, "file table")?,
            funcnames: lay.funcnames,
            pctab: lay.pctab,
            functab: lay.functab,
        };
        if let Some(extent) = charge(&r, &tabs, version, &mut table) {
            table.extent = extent;
        } else {
            for f in &mut table.funcs {
                f.table = 0;
            }
            table.funcdata.clear();
        }
    }
    Ok(table)
}

/// Offsets of the sub-tables of a Go 1.18+ table, from its start.
struct Tables {
    funcnames: usize,
    cutab: usize,
    filetab: usize,
    pctab: usize,
    functab: usize,
}

/// A set of table offsets, one bit each.
struct Seen(Vec<u64>);

impl Seen {
    fn new(len: usize) -> Seen {
        Seen(vec![0; len.div_ceil(64)])
    }

    /// Adds `off`; true when it was not there yet.
    fn first(&mut self, off: u32) -> bool {
        let (word, bit) = (off as usize / 64, off % 64);
        if word >= self.0.len() {
            self.0.resize(word + 1, 0);
        }
        let was = self.0[word] >> bit & 1 == 1;
        self.0[word] |= 1 << bit;
        !was
    }
}

/// Charges the bytes of a Go 1.18+ table to its functions (`Func::table`,
/// `Pclntab::funcdata`, `Pclntab::shared`); returns the table's extent, or
/// `None` when a record points outside the table (nothing is then charged).
///
/// Every byte is charged at most once: the linker deduplicates names, pc
/// tables, file names and funcdata, and a shared one goes to the first
/// function (in table order) that references it.
fn charge(r: &Reader<'_>, t: &Tables, version: PclnVersion, table: &mut Pclntab) -> Option<u64> {
    use std::collections::HashMap;
    let fixed: usize = if version == PclnVersion::Go120 { 44 } else { 40 };
    let nfunc = table.funcs.len();
    let ps = usize::from(table.ptr_size);
    let pctab = r.data.get(t.pctab..t.functab.max(t.pctab))?;
    let cu_entries = t.filetab.checked_sub(t.cutab)? / 4;
    // Offsets into each table seen so far, one bit each (the tables are
    // laid out names, cutab, filetab, pctab, functab: their sizes bound the
    // offsets, and a bad offset only grows the set).
    let mut names = Seen::new(t.cutab.saturating_sub(t.funcnames));
    let mut pcs = Seen::new(pctab.len());
    let mut files = Seen::new(t.pctab.saturating_sub(t.filetab));
    let mut cus: HashMap<u32, usize> = HashMap::new();
    let mut funcdata: HashMap<u32, u32> = HashMap::new();
    let mut end = t.functab.checked_add((nfunc * 2 + 1) * 4)?;
    let mut charged = 0u64;
    for i in 0..nfunc {
        let fo = t.functab.checked_add(r.u32(t.functab + (i * 2 + 1) * 4)? as usize)?;
        let npcdata = r.u32(fo + 28)? as usize;
        let nfuncdata = usize::from(*r.data.get(fo + fixed - 1)?);
        let rec = fixed.checked_add(npcdata.checked_mul(4)?)?.checked_add(nfuncdata * 4)?;
        end = end.max(fo.checked_add(rec)?);
        if end > r.data.len() {
            return None;
        }
        // The record, padded to a pointer, and its entry in the function table.
        let mut n = (rec.div_ceil(ps) * ps) as u64 + 8;
        let name_off = r.u32(fo + 4)?;
        if names.first(name_off) {
            let name = r.cstr(t.funcnames.checked_add(name_off as usize)?)?;
            n += name.len() as u64 + 1;
        }
        let pcsp = r.u32(fo + 16)?;
        let pcfile = r.u32(fo + 20)?;
        let pcln = r.u32(fo + 24)?;
        let pcdata = (0..npcdata).map(|j| r.u32(fo + fixed + j * 4));
        for off in [Some(pcsp), Some(pcfile), Some(pcln)].into_iter().chain(pcdata) {
            let off = off?;
            if off != 0 && pcs.first(off) {
                n += pcvalue_len(pctab, off as usize)?;
            }
        }
        let cu = r.u32(fo + 32)?;
        if cu != u32::MAX && !cus.contains_key(&cu) {
            cus.insert(cu, i);
        }
        for j in 0..nfuncdata {
            let off = r.u32(fo + fixed + npcdata * 4 + j * 4)?;
            if off != u32::MAX {
                funcdata.entry(off).or_insert(i as u32);
            }
        }
        table.funcs[i].table = n;
        charged += n;
    }
    // Compilation units: each one's file list runs to the next unit's.
    let mut starts: Vec<(u32, usize)> = cus.into_iter().collect();
    starts.sort_unstable();
    for (k, &(start, func)) in starts.iter().enumerate() {
        let stop = starts.get(k + 1).map_or(cu_entries, |s| s.0 as usize).min(cu_entries);
        let mut n = 0u64;
        for e in (start as usize)..stop {
            n += 4;
            let file = r.u32(t.cutab + e * 4)?;
            if file != u32::MAX && files.first(file) {
                n += r.cstr(t.filetab.checked_add(file as usize)?)?.len() as u64 + 1;
            }
        }
        table.funcs[func].table += n;
        charged += n;
    }
    let mut funcdata: Vec<FuncData> = funcdata.into_iter().map(|(offset, func)| FuncData { offset, func }).collect();
    funcdata.sort_unstable_by_key(|f| f.offset);
    table.funcdata = funcdata;
    let extent = end.div_ceil(ps) as u64 * ps as u64;
    table.shared = extent.checked_sub(charged)?;
    Some(extent)
}
