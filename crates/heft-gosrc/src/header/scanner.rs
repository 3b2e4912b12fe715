//! go/scanner over the header: tokens with automatic semicolons, the
//! scanner's errors and messages, and positions adjusted by `//line`
//! directives (go/token).

use crate::chars::{RUNE_ERROR, decode_rune, fmt_sharp_u, is_digit, is_letter};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum T {
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
pub(super) struct Tok {
    pub t: T,
    pub start: usize,
    pub end: usize,
    /// A semicolon inserted for a newline or EOF.
    pub newline: bool,
}

impl Tok {
    pub fn is_literal(&self) -> bool {
        matches!(self.t, T::Ident | T::Int | T::Float | T::Imag | T::Char | T::Str)
    }
}

/// A recorded error, position already adjusted for `//line` directives.
#[derive(Clone, Debug)]
pub(super) struct PErr {
    pub line: u32,
    pub col: u32,
    pub file: Option<String>,
    pub msg: String,
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

pub(super) struct Scanner<'a> {
    pub src: &'a [u8],
    /// `src` may be a prefix of the real input: reading at its end means
    /// more input is needed.
    open_end: bool,
    pub need_more: bool,
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
    pub errors: Vec<PErr>,
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

pub(super) fn digit_val(ch: i32) -> u32 {
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
    pub fn new(src: &'a [u8], open_end: bool) -> Self {
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
    pub fn pos(&self, off: usize) -> (u32, u32, Option<String>) {
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

    pub fn scan(&mut self) -> Tok {
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
pub(super) fn clean_path(p: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::header::tests::{err, imp, imports, ok};
    use crate::header::{HeaderError, read_header, resolve_line_file};

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
    fn scanner_errors() {
        assert_eq!(err(b"package p\nimport \"a\n"), (2, 8, "string literal not terminated".into()));
        assert_eq!(err(b"package p\nimport `a\n"), (2, 8, "raw string literal not terminated".into()));
        assert_eq!(err(b"package p\n/* x\n"), (2, 1, "comment not terminated".into()));
        assert_eq!(err(b"package p\nimport \"a\\q\"\n"), (2, 11, "unknown escape sequence".into()));
        assert_eq!(err(b"package p\nimport @\n"), (2, 8, "illegal character U+0040 '@'".into()));
        assert_eq!(
            err("package p\nimport “x”\n".as_bytes()),
            (2, 8, "curly quotation mark '“' (use neutral '\"')".into())
        );
        assert_eq!(err(b"package p\nimport 0x\n"), (2, 10, "hexadecimal literal has no digits".into()));
        assert_eq!(err(b"package p\nimport 'ab'\n"), (2, 8, "illegal rune literal".into()));
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
