//! The import header of a Go file: package clause and import declarations,
//! read the way `go list` reads them.
//!
//! Two passes, mirroring the go command:
//!
//! 1. go/build's import reader decides how far the header extends and
//!    rejects NUL bytes inside it (a read error, reported whatever the build
//!    constraints say). It is lenient: on anything unexpected it gives up and
//!    the whole file becomes the header.
//! 2. go/parser, in ImportsOnly mode, parses that header. Its first error
//!    (by position) is the file's parse error; a file with a parse error
//!    contributes no imports. Import paths are then checked like go/build's
//!    isValidImport.
//!
//! Positions follow go/token: 1-based line, 1-based byte column, counted
//! after a leading byte order mark is removed, and adjusted by `//line`
//! directives.

use crate::chars::{RUNE_ERROR, decode_rune, fmt_sharp_u, is_digit, is_graphic_nonspace, is_letter};

/// One import declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The unquoted import path.
    pub path: String,
    /// Position of the import spec as go/token reports it: the alias (name,
    /// `.` or `_`) when there is one, else the path literal. 1-based.
    pub line: u32,
    /// 1-based byte column; 0 if a `//line file:line` directive without
    /// column made it unknown.
    pub col: u32,
    /// Set when a `//line` directive moved the position to another file:
    /// that file name, cleaned. A relative name is relative to the
    /// directory of the Go file (see [`resolve_line_file`]).
    pub file: Option<String>,
}

/// The package clause and imports of a Go file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// The package clause name.
    pub package: String,
    /// The imports in source order, including "C".
    pub imports: Vec<Import>,
}

impl Header {
    /// Whether the file imports "C" (uses cgo).
    pub fn imports_c(&self) -> bool {
        self.imports.iter().any(|i| i.path == "C")
    }
}

/// Why a header could not be read. Positions are 1-based line and byte
/// column as in [`Import`]; `file` is set when a `//line` directive moved
/// the position to another file.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum HeaderError {
    /// The input is a prefix of the file and the header runs past its end:
    /// call again with the whole file.
    #[error("header extends past the end of the input")]
    Incomplete,
    /// A NUL byte inside the header. The go command treats this as a read
    /// error ("read PATH: unexpected NUL in input"): the file is invalid
    /// whatever its build constraints say, and lists only in InvalidGoFiles.
    #[error("unexpected NUL in input")]
    Nul { line: u32, col: u32 },
    /// go/scanner's "illegal UTF-8 encoding" (in code or in a comment of the
    /// header).
    #[error("illegal UTF-8 encoding")]
    InvalidUtf8 { line: u32, col: u32, file: Option<String> },
    /// Any other go/scanner or go/parser error, with go's message, e.g.
    /// "expected 'package', found 'EOF'", "string literal not terminated",
    /// "missing import path".
    #[error("{msg}")]
    Syntax { line: u32, col: u32, msg: String, file: Option<String> },
    /// An import path the go command rejects (empty, or with a space,
    /// non-graphic character or one of ``!"#$%&'()*,:;<=>?[\]^{|}` `` or
    /// U+FFFD). Unlike the others, go reports this one as a plain error
    /// whose text starts with the full file path ("/dir/x.go:3:2: invalid
    /// import path: a b"), not as a positioned parse error.
    #[error("invalid import path: {path}")]
    InvalidImportPath { line: u32, col: u32, path: String, file: Option<String> },
}

impl HeaderError {
    /// The (line, col) of the error, if it has one.
    pub fn position(&self) -> Option<(u32, u32)> {
        match self {
            HeaderError::Incomplete => None,
            HeaderError::Nul { line, col }
            | HeaderError::InvalidUtf8 { line, col, .. }
            | HeaderError::Syntax { line, col, .. }
            | HeaderError::InvalidImportPath { line, col, .. } => Some((*line, *col)),
        }
    }

    /// The `//line` file the position refers to, if not the Go file itself.
    pub fn line_file(&self) -> Option<&str> {
        match self {
            HeaderError::InvalidUtf8 { file, .. }
            | HeaderError::Syntax { file, .. }
            | HeaderError::InvalidImportPath { file, .. } => file.as_deref(),
            _ => None,
        }
    }
}

/// Reads the package clause and imports of a Go file.
///
/// `complete` says whether `src` is the whole file. If it is not and the
/// header runs past the end of `src`, the result is
/// `Err(HeaderError::Incomplete)`.
pub fn read_header(src: &[u8], complete: bool) -> Result<Header, HeaderError> {
    let body = strip_bom(src, complete)?;
    let extent = header_extent(body, complete)?;
    parse_header(body, &extent, complete).map_err(|(e, _)| e)
}

/// `//line` directive file names are cleaned and, if relative, relative to
/// the directory of the Go file (go/scanner joins them with it). This gives
/// the path go reports: `dir` joined with `file`, cleaned.
pub fn resolve_line_file(dir: &str, file: &str) -> String {
    if file.starts_with('/') || dir.is_empty() { clean_path(file) } else { clean_path(&format!("{dir}/{file}")) }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub(crate) fn strip_bom(src: &[u8], complete: bool) -> Result<&[u8], HeaderError> {
    if src.len() < BOM.len() && !complete && BOM.starts_with(src) {
        return Err(HeaderError::Incomplete);
    }
    Ok(src.strip_prefix(BOM).unwrap_or(src))
}

/// Result of the import-reader pass over a BOM-stripped file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Extent {
    /// The header is `body[..end]`. With `gave_up` it is the whole file.
    pub end: usize,
    /// The import reader hit something it did not expect: go/build then
    /// hands the whole file to go/parser.
    pub gave_up: bool,
}

impl Extent {
    /// Whether the header may extend past the end of a partial input.
    pub fn open_ended(&self, complete: bool) -> bool {
        self.gave_up && !complete
    }
}

// ---------------------------------------------------------------------------
// Pass 1: go/build's import reader.

#[derive(Clone, Copy, PartialEq, Eq)]
enum ReadErr {
    Syntax,
    Nul(usize),
}

struct ImportReader<'a> {
    src: &'a [u8],
    complete: bool,
    pos: usize,
    /// A byte read but not consumed; 0 means none (a NUL is an error anyway).
    peek: u8,
    err: Option<ReadErr>,
    eof: bool,
    incomplete: bool,
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

impl ImportReader<'_> {
    fn read_byte(&mut self) -> u8 {
        match self.src.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                if c == 0 {
                    if self.err.is_none() {
                        self.err = Some(ReadErr::Nul(self.pos - 1));
                    }
                    return 0;
                }
                c
            }
            None => {
                if !self.complete {
                    self.incomplete = true;
                }
                self.eof = true;
                0
            }
        }
    }

    fn syntax_error(&mut self) {
        if self.err.is_none() {
            self.err = Some(ReadErr::Syntax);
        }
    }

    fn peek_byte(&mut self, skip_space: bool) -> u8 {
        if self.err.is_some() {
            return 0;
        }
        let mut c = self.peek;
        if c == 0 {
            c = self.read_byte();
        }
        while self.err.is_none() && !self.eof {
            if skip_space {
                match c {
                    // Semicolons never matter to this reader.
                    b' ' | b'\x0C' | b'\t' | b'\r' | b'\n' | b';' => {
                        c = self.read_byte();
                        continue;
                    }
                    b'/' => {
                        c = self.read_byte();
                        if c == b'/' {
                            while c != b'\n' && self.err.is_none() && !self.eof {
                                c = self.read_byte();
                            }
                        } else if c == b'*' {
                            let mut c1 = 0u8;
                            while (c != b'*' || c1 != b'/') && self.err.is_none() {
                                if self.eof {
                                    self.syntax_error();
                                }
                                c = c1;
                                c1 = self.read_byte();
                            }
                        } else {
                            self.syntax_error();
                        }
                        c = self.read_byte();
                        continue;
                    }
                    _ => {}
                }
            }
            break;
        }
        self.peek = c;
        c
    }

    fn next_byte(&mut self, skip_space: bool) -> u8 {
        let c = self.peek_byte(skip_space);
        self.peek = 0;
        c
    }

    fn read_keyword(&mut self, kw: &[u8]) {
        self.peek_byte(true);
        for &k in kw {
            if self.next_byte(false) != k {
                self.syntax_error();
                return;
            }
        }
        if is_ident_byte(self.peek_byte(false)) {
            self.syntax_error();
        }
    }

    fn read_ident(&mut self) {
        let c = self.peek_byte(true);
        if !is_ident_byte(c) {
            self.syntax_error();
            return;
        }
        while is_ident_byte(self.peek_byte(false)) {
            self.peek = 0;
        }
    }

    fn read_string(&mut self) {
        match self.next_byte(true) {
            b'`' => {
                while self.err.is_none() {
                    if self.next_byte(false) == b'`' {
                        break;
                    }
                    if self.eof {
                        self.syntax_error();
                    }
                }
            }
            b'"' => {
                while self.err.is_none() {
                    let c = self.next_byte(false);
                    if c == b'"' {
                        break;
                    }
                    if self.eof || c == b'\n' {
                        self.syntax_error();
                    }
                    if c == b'\\' {
                        self.next_byte(false);
                    }
                }
            }
            _ => self.syntax_error(),
        }
    }

    fn read_import(&mut self) {
        let c = self.peek_byte(true);
        if c == b'.' {
            self.peek = 0;
        } else if is_ident_byte(c) {
            self.read_ident();
        }
        self.read_string();
    }
}

/// Runs go/build's import reader over a BOM-stripped file.
pub(crate) fn header_extent(body: &[u8], complete: bool) -> Result<Extent, HeaderError> {
    let mut r = ImportReader { src: body, complete, pos: 0, peek: 0, err: None, eof: false, incomplete: false };
    r.read_keyword(b"package");
    r.read_ident();
    while r.peek_byte(true) == b'i' {
        r.read_keyword(b"import");
        if r.peek_byte(true) == b'(' {
            r.next_byte(false);
            while r.peek_byte(true) != b')' && r.err.is_none() {
                r.read_import();
            }
            r.next_byte(false);
        } else {
            r.read_import();
        }
    }
    if r.incomplete {
        return Err(HeaderError::Incomplete);
    }
    match r.err {
        Some(ReadErr::Nul(off)) => {
            let (line, col) = raw_position(body, off);
            Err(HeaderError::Nul { line, col })
        }
        Some(ReadErr::Syntax) => Ok(Extent { end: body.len(), gave_up: true }),
        // Without EOF the last byte read was the lookahead that ended the
        // header; it is not part of it.
        None => Ok(Extent { end: if r.eof { r.pos } else { r.pos - 1 }, gave_up: false }),
    }
}

/// Line and column of a byte offset, ignoring `//line` directives.
fn raw_position(src: &[u8], off: usize) -> (u32, u32) {
    let before = &src[..off.min(src.len())];
    let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
    let start = before.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
    (line as u32, (off - start + 1) as u32)
}

// ---------------------------------------------------------------------------
// Pass 2: go/scanner and go/parser (ImportsOnly) over the header.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum T {
    Eof,
    Illegal,
    Comment,
    Ident,
    Int,
    Float,
    Imag,
    Char,
    Str,
    /// `;`, or a newline/EOF turned into one (see `Tok::newline`).
    Semi,
    LParen,
    RParen,
    RBrace,
    Period,
    Comma,
    Package,
    Import,
    /// Any other keyword.
    Keyword,
    /// Any other operator or delimiter.
    Op,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    t: T,
    start: usize,
    end: usize,
    /// A semicolon inserted for a newline or EOF.
    newline: bool,
}

impl Tok {
    fn is_literal(&self) -> bool {
        matches!(self.t, T::Ident | T::Int | T::Float | T::Imag | T::Char | T::Str)
    }
}

/// A recorded error, position already adjusted for `//line` directives.
#[derive(Clone, Debug)]
struct PErr {
    line: u32,
    col: u32,
    file: Option<String>,
    msg: String,
}

#[derive(Clone, Debug)]
struct LineInfo {
    offset: usize,
    /// Unadjusted line of `offset`.
    raw_line: u32,
    file: Option<String>,
    line: u32,
    col: u32,
}

const EOF: i32 = -1;
const BOM_RUNE: i32 = 0xFEFF;

struct Scanner<'a> {
    src: &'a [u8],
    /// `src` may be a prefix of the real input: reading at its end means
    /// more input is needed.
    open_end: bool,
    need_more: bool,
    ch: i32,
    offset: usize,
    rd_offset: usize,
    line: u32,
    line_offset: usize,
    /// Offset of the start of every line scanned so far (line 1 at index
    /// 0): positions of earlier lines in O(log n), not by rescanning.
    line_starts: Vec<usize>,
    insert_semi: bool,
    nl_pos: Option<usize>,
    errors: Vec<PErr>,
    infos: Vec<LineInfo>,
}

fn is_letter_ch(ch: i32) -> bool {
    match u8::try_from(ch) {
        Ok(b) if b < 0x80 => b.is_ascii_alphabetic() || b == b'_',
        _ => ch >= 0x80 && is_letter(ch as u32),
    }
}

fn is_digit_ch(ch: i32) -> bool {
    match u8::try_from(ch) {
        Ok(b) if b < 0x80 => b.is_ascii_digit(),
        _ => ch >= 0x80 && is_digit(ch as u32),
    }
}

fn is_decimal(ch: i32) -> bool {
    (b'0' as i32..=b'9' as i32).contains(&ch)
}

fn lower(ch: i32) -> i32 {
    (b'a' - b'A') as i32 | ch
}

fn is_hex(ch: i32) -> bool {
    is_decimal(ch) || (b'a' as i32..=b'f' as i32).contains(&lower(ch))
}

fn digit_val(ch: i32) -> u32 {
    if is_decimal(ch) {
        (ch - b'0' as i32) as u32
    } else if (b'a' as i32..=b'f' as i32).contains(&lower(ch)) {
        (lower(ch) - b'a' as i32 + 10) as u32
    } else {
        16
    }
}

fn litname(prefix: u8) -> &'static str {
    match prefix {
        b'x' => "hexadecimal literal",
        b'o' | b'0' => "octal literal",
        b'b' => "binary literal",
        _ => "decimal literal",
    }
}

/// Index of the first misplaced '_' in a number literal, if any.
fn invalid_sep(x: &[u8]) -> Option<usize> {
    let mut x1 = b' ';
    let mut d = b'.';
    let mut i = 0;
    if x.len() >= 2 && x[0] == b'0' {
        x1 = x[1] | 0x20;
        if x1 == b'x' || x1 == b'o' || x1 == b'b' {
            d = b'0';
            i = 2;
        }
    }
    while i < x.len() {
        let p = d;
        d = x[i];
        if d == b'_' {
            if p != b'0' {
                return Some(i);
            }
        } else if d.is_ascii_digit() || (x1 == b'x' && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return Some(i - 1);
            }
            d = b'.';
        }
        i += 1;
    }
    if d == b'_' {
        return Some(x.len() - 1);
    }
    None
}

const KEYWORDS: &[&[u8]] = &[
    b"break",
    b"case",
    b"chan",
    b"const",
    b"continue",
    b"default",
    b"defer",
    b"else",
    b"fallthrough",
    b"for",
    b"func",
    b"go",
    b"goto",
    b"if",
    b"import",
    b"interface",
    b"map",
    b"package",
    b"range",
    b"return",
    b"select",
    b"struct",
    b"switch",
    b"type",
    b"var",
];

impl<'a> Scanner<'a> {
    fn new(src: &'a [u8], open_end: bool) -> Self {
        let mut s = Scanner {
            src,
            open_end,
            need_more: false,
            ch: b' ' as i32,
            offset: 0,
            rd_offset: 0,
            line: 1,
            line_offset: 0,
            line_starts: vec![0],
            insert_semi: false,
            nl_pos: None,
            errors: Vec::new(),
            infos: Vec::new(),
        };
        s.next();
        if s.ch == BOM_RUNE {
            s.next();
        }
        s
    }

    /// Unadjusted line and column of an offset at or before the scan point.
    fn raw_pos(&self, off: usize) -> (u32, u32) {
        if off >= self.line_offset {
            (self.line, (off - self.line_offset + 1) as u32)
        } else {
            let index = self.line_starts.partition_point(|&start| start <= off).saturating_sub(1);
            ((index + 1) as u32, (off - self.line_starts[index] + 1) as u32)
        }
    }

    /// Position adjusted by `//line` directives (go/token's unpack).
    fn pos(&self, off: usize) -> (u32, u32, Option<String>) {
        let (line, col) = self.raw_pos(off);
        adjust(&self.infos, off, line, col)
    }

    fn error(&mut self, off: usize, msg: impl Into<String>) {
        let (line, col, file) = self.pos(off);
        self.errors.push(PErr { line, col, file, msg: msg.into() });
    }

    fn next(&mut self) {
        if self.rd_offset < self.src.len() {
            self.offset = self.rd_offset;
            if self.ch == b'\n' as i32 {
                self.line_offset = self.offset;
                self.line += 1;
                self.line_starts.push(self.offset);
            }
            let b = self.src[self.rd_offset];
            let mut r = b as i32;
            let mut w = 1;
            if b == 0 {
                self.error(self.offset, "illegal character NUL");
            } else if b >= 0x80 {
                let rest = &self.src[self.rd_offset..];
                if self.open_end && rest.len() < 4 {
                    self.need_more = true;
                }
                let (dr, dw) = decode_rune(rest);
                r = dr as i32;
                w = dw;
                if dr == RUNE_ERROR && dw == 1 {
                    if self.offset == 0 && rest.len() >= 2 && (rest[..2] == [0xFF, 0xFE] || rest[..2] == [0xFE, 0xFF]) {
                        self.error(self.offset, "illegal UTF-8 encoding (got UTF-16)");
                        // Go skips the rest of the input here.
                        self.rd_offset += rest.len();
                    } else {
                        self.error(self.offset, "illegal UTF-8 encoding");
                    }
                } else if r == BOM_RUNE && self.offset > 0 {
                    self.error(self.offset, "illegal byte order mark");
                }
            }
            self.rd_offset += w;
            self.ch = r;
        } else {
            if self.open_end {
                self.need_more = true;
            }
            // go/token never starts a line at the end of the file, so a
            // trailing newline does not move EOF to a new line.
            self.offset = self.src.len();
            self.ch = EOF;
        }
    }

    fn peek(&mut self) -> u8 {
        match self.src.get(self.rd_offset) {
            Some(&b) => b,
            None => {
                if self.open_end {
                    self.need_more = true;
                }
                0
            }
        }
    }

    fn skip_whitespace(&mut self) {
        while self.ch == b' ' as i32
            || self.ch == b'\t' as i32
            || (self.ch == b'\n' as i32 && !self.insert_semi)
            || self.ch == b'\r' as i32
        {
            self.next();
        }
    }

    fn scan(&mut self) -> Tok {
        if let Some(nl) = self.nl_pos.take() {
            // The artificial ';' after a /*...*/ comment holding a newline.
            return Tok { t: T::Semi, start: nl, end: nl, newline: true };
        }
        self.skip_whitespace();
        let start = self.offset;
        let mut insert_semi = false;
        let ch = self.ch;
        let tok = |t: T| Tok { t, start, end: start, newline: false };
        let mut out;
        if is_letter_ch(ch) {
            while is_letter_ch(self.ch) || is_digit_ch(self.ch) {
                self.next();
            }
            let word = &self.src[start..self.offset];
            out = tok(T::Ident);
            insert_semi = true;
            if word.len() > 1 && KEYWORDS.contains(&word) {
                out.t = match word {
                    b"package" => T::Package,
                    b"import" => T::Import,
                    _ => T::Keyword,
                };
                insert_semi = matches!(word, b"break" | b"continue" | b"fallthrough" | b"return");
            }
        } else if is_decimal(ch) || (ch == b'.' as i32 && (self.peek() as char).is_ascii_digit()) {
            insert_semi = true;
            out = tok(self.scan_number());
        } else {
            self.next();
            out = tok(T::Op);
            match ch {
                EOF => {
                    if self.insert_semi {
                        self.insert_semi = false;
                        out.t = T::Semi;
                        out.newline = true;
                        return out;
                    }
                    out.t = T::Eof;
                }
                0x0A => {
                    // Only reached with insert_semi set.
                    self.insert_semi = false;
                    out.t = T::Semi;
                    out.newline = true;
                    out.end = start + 1;
                    return out;
                }
                0x22 => {
                    insert_semi = true;
                    out.t = T::Str;
                    self.scan_string(start);
                }
                0x27 => {
                    insert_semi = true;
                    out.t = T::Char;
                    self.scan_rune(start);
                }
                0x60 => {
                    insert_semi = true;
                    out.t = T::Str;
                    self.scan_raw_string(start);
                }
                0x3A => self.switch2(),
                0x2E => {
                    out.t = T::Period;
                    if self.ch == b'.' as i32 && self.peek() == b'.' {
                        self.next();
                        self.next();
                        out.t = T::Op;
                    }
                }
                0x2C => out.t = T::Comma,
                0x3B => out.t = T::Semi,
                0x28 => out.t = T::LParen,
                0x29 => {
                    insert_semi = true;
                    out.t = T::RParen;
                }
                0x5B | 0x7B | 0x7E => {}
                0x5D => insert_semi = true,
                0x7D => {
                    insert_semi = true;
                    out.t = T::RBrace;
                }
                0x2B | 0x2D => {
                    // + += ++ and - -= --
                    if self.ch == b'=' as i32 {
                        self.next();
                    } else if self.ch == ch {
                        self.next();
                        insert_semi = true;
                    }
                }
                0x2A | 0x25 | 0x5E | 0x3D | 0x21 => self.switch2(),
                0x2F => {
                    if self.ch == b'/' as i32 || self.ch == b'*' as i32 {
                        let nl_offset = self.scan_comment(start);
                        if self.insert_semi && nl_offset != 0 {
                            self.nl_pos = Some(nl_offset);
                            self.insert_semi = false;
                        } else {
                            insert_semi = self.insert_semi;
                        }
                        out.t = T::Comment;
                    } else {
                        self.switch2();
                    }
                }
                0x3C => {
                    if self.ch == b'-' as i32 {
                        self.next();
                    } else {
                        self.switch4(b'<');
                    }
                }
                0x3E => self.switch4(b'>'),
                0x26 => {
                    if self.ch == b'^' as i32 {
                        self.next();
                        self.switch2();
                    } else if self.ch == b'=' as i32 || self.ch == b'&' as i32 {
                        self.next();
                    }
                }
                0x7C => {
                    if self.ch == b'=' as i32 || self.ch == b'|' as i32 {
                        self.next();
                    }
                }
                _ => {
                    // next() already reported a stray BOM.
                    if ch != BOM_RUNE {
                        let msg = if ch == 0x201C || ch == 0x201D {
                            let q = char::from_u32(ch as u32).unwrap_or('?');
                            format!("curly quotation mark '{q}' (use neutral '\"')")
                        } else {
                            format!("illegal character {}", fmt_sharp_u(ch as u32))
                        };
                        self.error(start, msg);
                    }
                    insert_semi = self.insert_semi;
                    out.t = T::Illegal;
                }
            }
        }
        self.insert_semi = insert_semi;
        out.end = if out.t == T::Eof { start } else { self.offset };
        out
    }

    fn switch2(&mut self) {
        if self.ch == b'=' as i32 {
            self.next();
        }
    }

    /// `<` `<=` `<<` `<<=` and the `>` family.
    fn switch4(&mut self, c2: u8) {
        if self.ch == b'=' as i32 {
            self.next();
        } else if self.ch == c2 as i32 {
            self.next();
            if self.ch == b'=' as i32 {
                self.next();
            }
        }
    }

    /// Scans a comment (the leading '/' already consumed); returns the
    /// offset of the first newline inside a /*...*/ comment, or 0.
    fn scan_comment(&mut self, offs: usize) -> usize {
        let mut next: Option<usize> = None;
        let mut nl_offset = 0;
        let slash_slash = self.ch == b'/' as i32;
        if slash_slash {
            self.next();
            while self.ch != b'\n' as i32 && self.ch >= 0 {
                self.next();
            }
            next = Some(if self.ch == b'\n' as i32 { self.offset + 1 } else { self.offset });
        } else {
            self.next();
            while self.ch >= 0 {
                let ch = self.ch;
                if ch == b'\n' as i32 && nl_offset == 0 {
                    nl_offset = self.offset;
                }
                self.next();
                if ch == b'*' as i32 && self.ch == b'/' as i32 {
                    self.next();
                    next = Some(self.offset);
                    break;
                }
            }
            if next.is_none() {
                self.error(offs, "comment not terminated");
            }
        }
        if let Some(next) = next {
            let mut lit = &self.src[offs..self.offset];
            if slash_slash && lit.last() == Some(&b'\r') {
                lit = &lit[..lit.len() - 1];
            }
            // //line directives count only at the start of a line.
            if (!slash_slash || offs == self.line_offset) && lit[2..].starts_with(b"line ") {
                // After a //-comment `next` starts the following line.
                let raw_line = if slash_slash && self.ch == b'\n' as i32 { self.line + 1 } else { self.line };
                self.line_directive(next, raw_line, offs, lit);
            }
        }
        nl_offset
    }

    /// go/scanner's updateLineInfo.
    fn line_directive(&mut self, next: usize, raw_line: u32, offs: usize, lit: &[u8]) {
        let mut text = lit;
        if text[1] == b'*' {
            text = &text[..text.len() - 2];
        }
        let text = &text[7..];
        let offs = offs + 7;
        // ":digits" at the end: (index after ':', value, parsed ok).
        fn trailing_digits(t: &[u8]) -> (usize, u64, bool) {
            let Some(i) = t.iter().rposition(|&c| c == b':') else {
                return (0, 0, false);
            };
            let d = &t[i + 1..];
            let mut n: u64 = 0;
            let mut ok = !d.is_empty();
            for &c in d {
                if !c.is_ascii_digit() {
                    ok = false;
                    break;
                }
                match n.checked_mul(10).and_then(|n| n.checked_add((c - b'0') as u64)) {
                    Some(v) => n = v,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            (i + 1, if ok { n } else { 0 }, ok)
        }
        const MAX_LINE_COL: u64 = 1 << 30;
        let (mut i, n, ok) = trailing_digits(text);
        if i == 0 {
            return;
        }
        if !ok {
            let msg = format!("invalid line number: {}", String::from_utf8_lossy(&text[i..]));
            self.error(offs + i, msg);
            return;
        }
        let (i2, n2, ok2) = trailing_digits(&text[..i - 1]);
        // After this, `i` starts the line number and `num_end` ends it.
        let (line, col, num_end);
        if ok2 {
            let col_start = i;
            i = i2;
            line = n2;
            col = n;
            if col == 0 || col > MAX_LINE_COL {
                let msg = format!("invalid column number: {}", String::from_utf8_lossy(&text[col_start..]));
                self.error(offs + col_start, msg);
                return;
            }
            num_end = col_start - 1;
        } else {
            line = n;
            col = 0;
            num_end = text.len();
        }
        if line == 0 || line > MAX_LINE_COL {
            let msg = format!("invalid line number: {}", String::from_utf8_lossy(&text[i..num_end]));
            self.error(offs + i, msg);
            return;
        }
        let name_end = i - 1;
        let name = &text[..name_end];
        let file = if name.is_empty() && ok2 {
            // Keep the file in effect at the directive.
            self.pos(offs).2
        } else if name.is_empty() {
            Some(String::new())
        } else {
            Some(clean_path(&String::from_utf8_lossy(name)))
        };
        if self.infos.last().is_none_or(|l| l.offset < next) && next < self.src.len() {
            self.infos.push(LineInfo { offset: next, raw_line, file, line: line as u32, col: col as u32 });
        }
    }

    fn digits(&mut self, base: u32, invalid: &mut Option<usize>) -> u8 {
        let mut digsep = 0;
        if base <= 10 {
            let max = b'0' as i32 + base as i32;
            while is_decimal(self.ch) || self.ch == b'_' as i32 {
                let mut ds = 1;
                if self.ch == b'_' as i32 {
                    ds = 2;
                } else if self.ch >= max && invalid.is_none() {
                    *invalid = Some(self.offset);
                }
                digsep |= ds;
                self.next();
            }
        } else {
            while is_hex(self.ch) || self.ch == b'_' as i32 {
                digsep |= if self.ch == b'_' as i32 { 2 } else { 1 };
                self.next();
            }
        }
        digsep
    }

    fn scan_number(&mut self) -> T {
        let offs = self.offset;
        let mut tok = T::Illegal;
        let mut base = 10;
        let mut prefix = 0u8;
        let mut digsep = 0u8;
        let mut invalid = None;
        if self.ch != b'.' as i32 {
            tok = T::Int;
            if self.ch == b'0' as i32 {
                self.next();
                match lower(self.ch) {
                    0x78 => {
                        self.next();
                        (base, prefix) = (16, b'x');
                    }
                    0x6F => {
                        self.next();
                        (base, prefix) = (8, b'o');
                    }
                    0x62 => {
                        self.next();
                        (base, prefix) = (2, b'b');
                    }
                    _ => {
                        (base, prefix) = (8, b'0');
                        digsep = 1;
                    }
                }
            }
            digsep |= self.digits(base, &mut invalid);
        }
        if self.ch == b'.' as i32 {
            tok = T::Float;
            if prefix == b'o' || prefix == b'b' {
                self.error(self.offset, format!("invalid radix point in {}", litname(prefix)));
            }
            self.next();
            digsep |= self.digits(base, &mut invalid);
        }
        if digsep & 1 == 0 {
            self.error(self.offset, format!("{} has no digits", litname(prefix)));
        }
        let e = lower(self.ch);
        if e == b'e' as i32 || e == b'p' as i32 {
            let c = char::from_u32(self.ch as u32).unwrap_or('?');
            if e == b'e' as i32 && prefix != 0 && prefix != b'0' {
                self.error(self.offset, format!("'{c}' exponent requires decimal mantissa"));
            } else if e == b'p' as i32 && prefix != b'x' {
                self.error(self.offset, format!("'{c}' exponent requires hexadecimal mantissa"));
            }
            self.next();
            tok = T::Float;
            if self.ch == b'+' as i32 || self.ch == b'-' as i32 {
                self.next();
            }
            let mut none = None;
            let ds = self.digits(10, &mut none);
            digsep |= ds;
            if ds & 1 == 0 {
                self.error(self.offset, "exponent has no digits");
            }
        } else if prefix == b'x' && tok == T::Float {
            self.error(self.offset, "hexadecimal mantissa requires a 'p' exponent");
        }
        if self.ch == b'i' as i32 {
            tok = T::Imag;
            self.next();
        }
        if tok == T::Int
            && let Some(inv) = invalid
        {
            let d = self.src[inv] as char;
            self.error(inv, format!("invalid digit '{d}' in {}", litname(prefix)));
        }
        if digsep & 2 != 0
            && let Some(i) = invalid_sep(&self.src[offs..self.offset])
        {
            self.error(offs + i, "'_' must separate successive digits");
        }
        tok
    }

    fn scan_escape(&mut self, quote: u8) -> bool {
        let offs = self.offset;
        let (mut n, base, max): (u32, u32, u32);
        match self.ch {
            c if c == quote as i32 => {
                self.next();
                return true;
            }
            0x61 | 0x62 | 0x66 | 0x6E | 0x72 | 0x74 | 0x76 | 0x5C => {
                self.next();
                return true;
            }
            0x30..=0x37 => (n, base, max) = (3, 8, 255),
            0x78 => {
                self.next();
                (n, base, max) = (2, 16, 255);
            }
            0x75 => {
                self.next();
                (n, base, max) = (4, 16, 0x10FFFF);
            }
            0x55 => {
                self.next();
                (n, base, max) = (8, 16, 0x10FFFF);
            }
            _ => {
                let msg = if self.ch < 0 { "escape sequence not terminated" } else { "unknown escape sequence" };
                self.error(offs, msg);
                return false;
            }
        }
        let mut x: u32 = 0;
        while n > 0 {
            let d = digit_val(self.ch);
            if d >= base {
                let msg = if self.ch < 0 {
                    "escape sequence not terminated".to_string()
                } else {
                    format!("illegal character {} in escape sequence", fmt_sharp_u(self.ch as u32))
                };
                self.error(self.offset, msg);
                return false;
            }
            x = x.wrapping_mul(base).wrapping_add(d);
            self.next();
            n -= 1;
        }
        if x > max || (0xD800..0xE000).contains(&x) {
            self.error(offs, "escape sequence is invalid Unicode code point");
            return false;
        }
        true
    }

    fn scan_rune(&mut self, offs: usize) {
        let mut valid = true;
        let mut n = 0;
        loop {
            let ch = self.ch;
            if ch == b'\n' as i32 || ch < 0 {
                if valid {
                    self.error(offs, "rune literal not terminated");
                    valid = false;
                }
                break;
            }
            self.next();
            if ch == b'\'' as i32 {
                break;
            }
            n += 1;
            if ch == b'\\' as i32 && !self.scan_escape(b'\'') {
                valid = false;
            }
        }
        if valid && n != 1 {
            self.error(offs, "illegal rune literal");
        }
    }

    fn scan_string(&mut self, offs: usize) {
        loop {
            let ch = self.ch;
            if ch == b'\n' as i32 || ch < 0 {
                self.error(offs, "string literal not terminated");
                break;
            }
            self.next();
            if ch == b'"' as i32 {
                break;
            }
            if ch == b'\\' as i32 {
                self.scan_escape(b'"');
            }
        }
    }

    fn scan_raw_string(&mut self, offs: usize) {
        loop {
            let ch = self.ch;
            if ch < 0 {
                self.error(offs, "raw string literal not terminated");
                break;
            }
            self.next();
            if ch == b'`' as i32 {
                break;
            }
        }
    }
}

/// go/token's adjustment of a raw position by the `//line` infos.
fn adjust(infos: &[LineInfo], off: usize, line: u32, col: u32) -> (u32, u32, Option<String>) {
    let Some(alt) = infos.iter().rev().find(|i| i.offset <= off) else {
        return (line, col, None);
    };
    let d = line as i64 - alt.raw_line as i64;
    let new_line = (alt.line as i64 + d).clamp(0, u32::MAX as i64) as u32;
    let new_col = if alt.col == 0 {
        0
    } else if d == 0 {
        alt.col.saturating_add(u32::try_from(off - alt.offset).unwrap_or(u32::MAX))
    } else {
        col
    };
    (new_line, new_col, alt.file.clone())
}

/// Lexical path cleaning like Go's path/filepath.Clean on Unix.
pub(crate) fn clean_path(p: &str) -> String {
    if p.is_empty() {
        return ".".to_string();
    }
    let rooted = p.starts_with('/');
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if out.last().is_some_and(|&l| l != "..") {
                    out.pop();
                } else if !rooted {
                    out.push("..");
                }
            }
            _ => out.push(part),
        }
    }
    let joined = out.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Signals that the parser hit its first error and stopped.
struct Stop;

struct SpecPos {
    off: usize,
    path_start: usize,
    path_end: usize,
}

struct Parser<'a> {
    s: Scanner<'a>,
    tok: Tok,
    specs: Vec<SpecPos>,
}

impl Parser<'_> {
    fn next(&mut self) {
        loop {
            self.tok = self.s.scan();
            if self.tok.t != T::Comment {
                break;
            }
        }
    }

    fn lit(&self) -> String {
        let t = &self.s.src[self.tok.start..self.tok.end];
        let owned: Vec<u8>;
        let t = if self.tok.t == T::Str && t.first() == Some(&b'`') && t.contains(&b'\r') {
            owned = t.iter().copied().filter(|&c| c != b'\r').collect();
            &owned[..]
        } else {
            t
        };
        String::from_utf8_lossy(t).into_owned()
    }

    /// Records a parser error unless one is already recorded on the same
    /// line (go/parser's rule without AllErrors), then stops: later errors
    /// can only sort after the first one.
    fn error(&mut self, off: usize, msg: String) -> Stop {
        let (line, col, file) = self.s.pos(off);
        if self.s.errors.last().is_none_or(|e| e.line != line) {
            self.s.errors.push(PErr { line, col, file, msg });
        }
        Stop
    }

    fn error_expected(&mut self, what: &str) -> Stop {
        let found = if self.tok.t == T::Semi && self.tok.newline {
            "newline".to_string()
        } else if self.tok.is_literal() {
            self.lit()
        } else {
            let s = match self.tok.t {
                T::Eof => "EOF".to_string(),
                T::Illegal => "ILLEGAL".to_string(),
                T::Semi => ";".to_string(),
                _ => self.lit(),
            };
            format!("'{s}'")
        };
        let off = self.tok.start;
        self.error(off, format!("expected {what}, found {found}"))
    }

    fn expect(&mut self, t: T, what: &str) -> Result<(), Stop> {
        if self.tok.t != t {
            return Err(self.error_expected(what));
        }
        self.next();
        Ok(())
    }

    fn expect_semi(&mut self) -> Result<(), Stop> {
        match self.tok.t {
            T::RParen | T::RBrace => Ok(()),
            T::Semi => {
                self.next();
                Ok(())
            }
            _ => Err(self.error_expected("';'")),
        }
    }

    fn import_spec(&mut self) -> Result<(), Stop> {
        let mut off = None;
        if matches!(self.tok.t, T::Ident | T::Period) {
            off = Some(self.tok.start);
            self.next();
        }
        if self.tok.t == T::Str {
            let (start, end) = (self.tok.start, self.tok.end);
            self.next();
            self.expect_semi()?;
            self.specs.push(SpecPos { off: off.unwrap_or(start), path_start: start, path_end: end });
            Ok(())
        } else if self.tok.is_literal() {
            let o = self.tok.start;
            Err(self.error(o, "import path must be a string".into()))
        } else {
            let o = self.tok.start;
            Err(self.error(o, "missing import path".into()))
        }
    }

    fn import_decl(&mut self) -> Result<(), Stop> {
        self.next(); // "import"
        if self.tok.t == T::LParen {
            self.next();
            while self.tok.t != T::RParen && self.tok.t != T::Eof {
                self.import_spec()?;
            }
            self.expect(T::RParen, "')'")?;
            self.expect_semi()
        } else {
            self.import_spec()
        }
    }

    /// Parses up to the end of the imports. Returns the package name if the
    /// package clause parsed without any error (go/parser discards the file
    /// otherwise).
    fn parse(&mut self) -> Option<String> {
        self.next();
        if !self.s.errors.is_empty() {
            return None;
        }
        if self.expect(T::Package, "'package'").is_err() {
            return None;
        }
        if self.tok.t != T::Ident {
            let _ = self.error_expected("'IDENT'");
            return None;
        }
        let name = self.lit();
        self.next();
        if self.expect_semi().is_err() || !self.s.errors.is_empty() {
            return None;
        }
        while self.tok.t == T::Import {
            if self.import_decl().is_err() {
                break;
            }
        }
        Some(name)
    }
}

/// Decodes a string literal the scanner accepted into its bytes
/// (strconv.Unquote); the result need not be UTF-8 (`"\xff"`).
fn unquote(lit: &[u8]) -> Vec<u8> {
    let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
    if lit[0] == b'`' {
        return inner.iter().copied().filter(|&c| c != b'\r').collect();
    }
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let c = inner[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = inner.get(i + 1).copied().unwrap_or(0);
        i += 2;
        let simple = match e {
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(11),
            b'\\' => Some(b'\\'),
            b'"' => Some(b'"'),
            _ => None,
        };
        if let Some(b) = simple {
            out.push(b);
            continue;
        }
        let (n, base) = match e {
            b'0'..=b'7' => {
                i -= 1;
                (3, 8)
            }
            b'x' => (2, 16),
            b'u' => (4, 16),
            _ => (8, 16),
        };
        let end = (i + n).min(inner.len());
        let v = inner[i..end].iter().fold(0u32, |v, &d| v.wrapping_mul(base).wrapping_add(digit_val(d as i32)));
        i = end;
        if matches!(e, b'0'..=b'7' | b'x') {
            out.push(v as u8);
        } else {
            let mut buf = [0u8; 4];
            let c = char::from_u32(v).unwrap_or('\u{FFFD}');
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    out
}

/// go/build's isValidImport.
fn is_valid_import(path: &[u8]) -> bool {
    const ILLEGAL: &[u8] = b"!\"#$%&'()*,:;<=>?[\\]^{|}`";
    let mut s = path;
    while !s.is_empty() {
        let (r, w) = decode_rune(s);
        // Invalid bytes decode to U+FFFD, which is illegal too.
        if r == RUNE_ERROR || !is_graphic_nonspace(r) || (r < 0x80 && ILLEGAL.contains(&(r as u8))) {
            return false;
        }
        s = &s[w..];
    }
    !path.is_empty()
}

fn to_error(e: PErr) -> HeaderError {
    if e.msg == "illegal UTF-8 encoding" {
        HeaderError::InvalidUtf8 { line: e.line, col: e.col, file: e.file }
    } else {
        HeaderError::Syntax { line: e.line, col: e.col, msg: e.msg, file: e.file }
    }
}

/// Parses the header found by [`header_extent`]. On error also returns the
/// package name go/parser's partial result carries ("" if the package
/// clause itself was bad), which go list still uses for the file.
pub(crate) fn parse_header(body: &[u8], extent: &Extent, complete: bool) -> Result<Header, (HeaderError, String)> {
    let open_end = extent.open_ended(complete);
    let mut p = Parser {
        s: Scanner::new(&body[..extent.end], open_end),
        tok: Tok { t: T::Eof, start: 0, end: 0, newline: false },
        specs: Vec::new(),
    };
    let name = p.parse();
    if p.s.need_more {
        return Err((HeaderError::Incomplete, String::new()));
    }
    let package = name.clone().unwrap_or_default();
    if !p.s.errors.is_empty() {
        // go/scanner's ErrorList sorts by position, then message; go list
        // reports the first.
        let first =
            p.s.errors
                .drain(..)
                .min_by(|a, b| (a.line, a.col, &a.msg).cmp(&(b.line, b.col, &b.msg)))
                .expect("non-empty");
        return Err((to_error(first), package));
    }
    let package = name.expect("no errors implies a package clause");
    let mut imports = Vec::with_capacity(p.specs.len());
    for spec in &p.specs {
        let raw = unquote(&p.s.src[spec.path_start..spec.path_end]);
        let (line, col, file) = p.s.pos(spec.off);
        if !is_valid_import(&raw) {
            return Err((
                HeaderError::InvalidImportPath { line, col, path: String::from_utf8_lossy(&raw).into_owned(), file },
                package,
            ));
        }
        imports.push(Import { path: String::from_utf8(raw).expect("valid import paths are UTF-8"), line, col, file });
    }
    Ok(Header { package, imports })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(src: &[u8]) -> Header {
        read_header(src, true).unwrap_or_else(|e| panic!("{e:?}"))
    }

    fn imports(src: &[u8]) -> Vec<(String, u32, u32)> {
        ok(src).imports.into_iter().map(|i| (i.path, i.line, i.col)).collect()
    }

    fn err(src: &[u8]) -> (u32, u32, String) {
        let e = read_header(src, true).expect_err("want error");
        let (l, c) = e.position().unwrap();
        (l, c, e.to_string())
    }

    fn imp(p: &str, l: u32, c: u32) -> (String, u32, u32) {
        (p.to_string(), l, c)
    }

    #[test]
    fn basic() {
        let h = ok(b"package p; import \"fmt\"\n");
        assert_eq!(h.package, "p");
        assert_eq!(imports(b"package p; import \"fmt\"\n"), [imp("fmt", 1, 19)]);
        assert!(!h.imports_c());
        assert_eq!(ok(b"package p\n").imports, []);
        assert_eq!(ok("package été\n".as_bytes()).package, "été");
    }

    #[test]
    fn named_imports_position_is_the_name() {
        assert_eq!(
            imports(b"package p\nimport ( . \"fmt\"; _ \"x\"; y \"z\" )\n"),
            [imp("fmt", 2, 10), imp("x", 2, 19), imp("z", 2, 26)]
        );
    }

    #[test]
    fn literals() {
        assert_eq!(imports(b"package p\nimport `raw/path`\n"), [imp("raw/path", 2, 8)]);
        assert_eq!(imports(b"package p\nimport \"a\\x62c\"\n"), [imp("abc", 2, 8)]);
        assert_eq!(imports(b"package p\nimport \"a\\u00e9\"\n"), [imp("a\u{e9}", 2, 8)]);
        assert_eq!(imports(b"package p\nimport \"\\101\"\n"), [imp("A", 2, 8)]);
        // The curly quote is a valid import path character inside a string.
        assert_eq!(imports("package p\nimport \"“x\"\n".as_bytes()), [imp("“x", 2, 8)]);
    }

    #[test]
    fn comments_in_odd_places() {
        assert_eq!(imports(b"/* c */ package /* d */ p // e\nimport /* c */ \"a\" /* d */\n"), [imp("a", 2, 16)]);
        assert_eq!(
            imports(b"package p\nimport (\n\t\"a\" // c\n\t/* d */ \"b\"\n)\n"),
            [imp("a", 3, 2), imp("b", 4, 10)]
        );
        // A /* */ comment holding a newline ends the package clause.
        assert_eq!(imports(b"package p /* multi\nline */ import \"a\"\n"), [imp("a", 2, 16)]);
    }

    #[test]
    fn bom_is_not_counted() {
        assert_eq!(imports(b"\xef\xbb\xbfpackage p; import \"fmt\"\n"), [imp("fmt", 1, 19)]);
        // go/scanner skips a second BOM at the start too.
        assert_eq!(imports(b"\xef\xbb\xbf\xef\xbb\xbfpackage p; import \"fmt\"\n"), [imp("fmt", 1, 22)]);
        assert_eq!(err(b"\xff\xfepackage p\n").2, "illegal UTF-8 encoding (got UTF-16)");
    }

    #[test]
    fn semicolons() {
        assert_eq!(imports(b"package p\nimport \"x\"; import \"y\"\n"), [imp("x", 2, 8), imp("y", 2, 20)]);
        assert_eq!(err(b"package p\nimport (\"os\" \"io\")\n"), (2, 14, "expected ';', found \"io\"".into()));
        assert_eq!(err(b"package p import \"fmt\"\n"), (1, 11, "expected ';', found 'import'".into()));
        assert_eq!(err(b"package p\nimport ( \"a\";; )\n"), (2, 14, "missing import path".into()));
    }

    #[test]
    fn nul() {
        assert_eq!(read_header(b"package p\x00\n", true), Err(HeaderError::Nul { line: 1, col: 10 }));
        assert_eq!(read_header(b"package p\nimport \"fm\x00t\"\n", true), Err(HeaderError::Nul { line: 2, col: 11 }));
        // After the header a NUL is none of our business.
        assert_eq!(ok(b"package p\nimport \"fmt\"\nfunc\x00").package, "p");
    }

    #[test]
    fn bad_utf8_in_comment_vs_code() {
        // In a header comment go/parser sees it.
        assert_eq!(
            read_header(b"// \xff\npackage p\nimport \"x\"\n", true),
            Err(HeaderError::InvalidUtf8 { line: 1, col: 4, file: None })
        );
        // Comments right after the imports still belong to the header...
        assert_eq!(err(b"package p\nimport \"x\"\n// \xff\nfunc f() {}\n"), (3, 4, "illegal UTF-8 encoding".into()));
        // ...but code after the imports is never read.
        assert_eq!(ok(b"package p\nimport \"x\"\nfunc f() { \xff }\n").package, "p");
        assert_eq!(err(b"package p\nimport \"x\xff\"\n"), (2, 10, "illegal UTF-8 encoding".into()));
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(err(b""), (1, 1, "expected 'package', found 'EOF'".into()));
        assert_eq!(err(b"// only a comment\n"), (1, 19, "expected 'package', found 'EOF'".into()));
        assert_eq!(err(b"package\n"), (1, 9, "expected 'IDENT', found 'EOF'".into()));
        assert_eq!(err(b"package \"x\"\n"), (1, 9, "expected 'IDENT', found \"x\"".into()));
        assert_eq!(err(b"package p\nimport (\n"), (2, 10, "expected ')', found 'EOF'".into()));
        assert_eq!(err(b"package p\nimport \"a\n"), (2, 8, "string literal not terminated".into()));
        assert_eq!(err(b"package p\nimport `a\n"), (2, 8, "raw string literal not terminated".into()));
        assert_eq!(err(b"package p\n/* x\n"), (2, 1, "comment not terminated".into()));
        assert_eq!(err(b"package p\nimport 1\n"), (2, 8, "import path must be a string".into()));
        assert_eq!(err(b"package p\nimport a b \"x\"\n"), (2, 10, "import path must be a string".into()));
        assert_eq!(err(b"package p\nimport , \"x\"\n"), (2, 8, "missing import path".into()));
        assert_eq!(err(b"package p\nimport \"a\\q\"\n"), (2, 11, "unknown escape sequence".into()));
        assert_eq!(err(b"package p\nimport @\n"), (2, 8, "illegal character U+0040 '@'".into()));
        assert_eq!(
            err("package p\nimport “x”\n".as_bytes()),
            (2, 8, "curly quotation mark '“' (use neutral '\"')".into())
        );
        assert_eq!(err(b"package p\nimport 0x\n"), (2, 10, "hexadecimal literal has no digits".into()));
        assert_eq!(err(b"package p\nimport 'ab'\n"), (2, 8, "illegal rune literal".into()));
        // The scanner's error inside the token wins over the parser's on the same line.
        assert_eq!(err(b"package \"a\\q\"\n"), (1, 12, "unknown escape sequence".into()));
    }

    #[test]
    fn partial_package_name() {
        let body = b"package p\nimport (\"os\" \"io\")\n";
        let ext = header_extent(body, true).unwrap();
        assert_eq!(parse_header(body, &ext, true).unwrap_err().1, "p");
        let body = b"package 1\n";
        let ext = header_extent(body, true).unwrap();
        assert_eq!(parse_header(body, &ext, true).unwrap_err().1, "");
    }

    #[test]
    fn invalid_import_paths() {
        for (src, path) in [
            (&b"package p\nimport \"a b\"\n"[..], "a b"),
            (b"package p\nimport \"\"\n", ""),
            (b"package p\nimport \"a:b\"\n", "a:b"),
            (b"package p\nimport \"\\u00a0\"\n", "\u{a0}"),
            (b"package p\nimport \"\\000\"\n", "\0"),
        ] {
            match read_header(src, true) {
                Err(HeaderError::InvalidImportPath { line: 2, col: 8, path: p, .. }) => assert_eq!(p, path),
                other => panic!("{src:?}: {other:?}"),
            }
        }
        assert!(matches!(
            read_header(b"package p\nimport \"\\xff\"\n", true),
            Err(HeaderError::InvalidImportPath { .. })
        ));
        assert_eq!(
            read_header(b"package p\nimport \"a b\"\n", true).unwrap_err().to_string(),
            "invalid import path: a b"
        );
    }

    #[test]
    fn cgo_import() {
        let h = ok(b"package p\n/*\n#include <stdio.h>\n*/\nimport \"C\"\n");
        assert!(h.imports_c());
        assert_eq!(h.imports[0].line, 5);
    }

    #[test]
    fn header_ends_at_first_declaration() {
        assert_eq!(imports(b"package p\n\nimport \"fmt\" \"os\"\n"), [imp("fmt", 3, 8)]);
        assert_eq!(imports(b"package p\nimport \"x\"\nconst c = 1\nimport \"z\"\n"), [imp("x", 2, 8)]);
        // The import reader gives up on "importx"; go/parser then stops before it.
        assert_eq!(ok(b"package p\nimportx \"y\"\n").imports, []);
        assert_eq!(imports(b"package p\nimport\"y\"\n"), [imp("y", 2, 7)]);
    }

    #[test]
    fn line_directives() {
        let src = b"// Code generated by goyacc. DO NOT EDIT.\n\n//line expr.y:16\npackage p\n\nimport __yyfmt__ \"fmt\"\n\n//line expr.y:20\n\nimport (\n\t\"bytes\"\n)\n";
        let h = ok(src);
        let got: Vec<_> = h.imports.iter().map(|i| (i.path.as_str(), i.file.as_deref(), i.line, i.col)).collect();
        assert_eq!(got, [("fmt", Some("expr.y"), 18, 0), ("bytes", Some("expr.y"), 22, 0)]);
        let h = ok(b"package p\n//line foo.go:10:5\nimport \"a\"\n");
        assert_eq!((h.imports[0].line, h.imports[0].col), (10, 12));
        let h = ok(b"package p\n/*line foo.go:10:5*/import \"a\"\n");
        assert_eq!((h.imports[0].line, h.imports[0].col), (10, 12));
        // Not at the start of the line: no directive.
        assert_eq!(imports(b"package p\n //line foo.go:10\nimport \"a\"\n"), [imp("a", 3, 8)]);
        assert_eq!(err(b"package p\n//line foo.go:x\nimport \"a\"\n"), (2, 15, "invalid line number: x".into()));
        assert_eq!(err(b"package p\n//line foo.go:1:0\nimport \"a\"\n"), (2, 17, "invalid column number: 0".into()));
        assert_eq!(
            ok(b"package p\n//line ../x/./foo.go:10\nimport \"a\"\n").imports[0].file.as_deref(),
            Some("../x/foo.go")
        );
        assert_eq!(resolve_line_file("/m/p", "../x/foo.go"), "/m/x/foo.go");
        assert_eq!(resolve_line_file("/m/p", "/abs//f.go"), "/abs/f.go");
    }

    #[test]
    fn incomplete() {
        let src = b"// Copyright\n\npackage p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc main() {}\n";
        let full = read_header(src, true).unwrap();
        for n in 0..src.len() {
            match read_header(&src[..n], false) {
                Err(HeaderError::Incomplete) => {}
                Ok(h) => assert_eq!(h, full, "prefix {n}"),
                Err(e) => panic!("prefix {n}: {e:?}"),
            }
        }
        // The header ends with the byte after the imports.
        assert_eq!(read_header(&src[..src.len() - 15], false), Err(HeaderError::Incomplete));
        assert_eq!(read_header(&src[..src.len() - 14], false), Ok(full.clone()));
        assert_eq!(read_header(b"\xef\xbb", false), Err(HeaderError::Incomplete));
    }

    #[test]
    fn clean() {
        for (i, o) in [
            ("a/b/../c", "a/c"),
            ("/../a", "/a"),
            ("../../a", "../../a"),
            ("", "."),
            ("./", "."),
            ("a//b/", "a/b"),
            ("/", "/"),
        ] {
            assert_eq!(clean_path(i), o, "{i}");
        }
    }
}
