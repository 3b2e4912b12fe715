//! Pass 2: go/parser in ImportsOnly mode over the header the import reader
//! found, keeping its first error, then go/build's isValidImport on each
//! import path.

use super::scanner::{PErr, Scanner, T, Tok, digit_val};
use super::{Extent, Header, HeaderError, Import};
use crate::chars::{RUNE_ERROR, decode_rune, is_graphic_nonspace};

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
    use crate::header::tests::{err, imp, imports};
    use crate::header::{header_extent, read_header};

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
    fn semicolons() {
        assert_eq!(imports(b"package p\nimport \"x\"; import \"y\"\n"), [imp("x", 2, 8), imp("y", 2, 20)]);
        assert_eq!(err(b"package p\nimport (\"os\" \"io\")\n"), (2, 14, "expected ';', found \"io\"".into()));
        assert_eq!(err(b"package p import \"fmt\"\n"), (1, 11, "expected ';', found 'import'".into()));
        assert_eq!(err(b"package p\nimport ( \"a\";; )\n"), (2, 14, "missing import path".into()));
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(err(b""), (1, 1, "expected 'package', found 'EOF'".into()));
        assert_eq!(err(b"// only a comment\n"), (1, 19, "expected 'package', found 'EOF'".into()));
        assert_eq!(err(b"package\n"), (1, 9, "expected 'IDENT', found 'EOF'".into()));
        assert_eq!(err(b"package \"x\"\n"), (1, 9, "expected 'IDENT', found \"x\"".into()));
        assert_eq!(err(b"package p\nimport (\n"), (2, 10, "expected ')', found 'EOF'".into()));
        assert_eq!(err(b"package p\nimport 1\n"), (2, 8, "import path must be a string".into()));
        assert_eq!(err(b"package p\nimport a b \"x\"\n"), (2, 10, "import path must be a string".into()));
        assert_eq!(err(b"package p\nimport , \"x\"\n"), (2, 8, "missing import path".into()));
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
}
