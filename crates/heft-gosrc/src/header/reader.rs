//! Pass 1: go/build's import reader. It decides how far the header extends
//! and finds NUL bytes inside it; on anything unexpected it gives up and the
//! whole file becomes the header.

use super::{Extent, HeaderError};

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

#[cfg(test)]
mod tests {
    use super::super::tests::{imp, imports, ok};
    use crate::header::{HeaderError, read_header};

    #[test]
    fn nul() {
        assert_eq!(read_header(b"package p\x00\n", true), Err(HeaderError::Nul { line: 1, col: 10 }));
        assert_eq!(read_header(b"package p\nimport \"fm\x00t\"\n", true), Err(HeaderError::Nul { line: 2, col: 11 }));
        // After the header a NUL is none of our business.
        assert_eq!(ok(b"package p\nimport \"fmt\"\nfunc\x00").package, "p");
    }

    #[test]
    fn header_ends_at_first_declaration() {
        assert_eq!(imports(b"package p\n\nimport \"fmt\" \"os\"\n"), [imp("fmt", 3, 8)]);
        assert_eq!(imports(b"package p\nimport \"x\"\nconst c = 1\nimport \"z\"\n"), [imp("x", 2, 8)]);
        // The import reader gives up on "importx"; go/parser then stops before it.
        assert_eq!(ok(b"package p\nimportx \"y\"\n").imports, []);
        assert_eq!(imports(b"package p\nimport\"y\"\n"), [imp("y", 2, 7)]);
    }
}
