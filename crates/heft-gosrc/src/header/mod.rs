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
//!
//! The layers, one file each:
//!
//! - `reader`: pass 1, go/build's import reader (header extent, NULs);
//! - `scanner`: go/scanner over the header, with `//line` directives;
//! - `parser`: pass 2, go/parser's ImportsOnly rules, then go/build's
//!   import path check.

mod parser;
mod reader;
mod scanner;

pub(crate) use parser::parse_header;
pub(crate) use reader::header_extent;
use scanner::clean_path;

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
    Nul {
        /// Line of the NUL byte (`//line` directives do not apply).
        line: u32,
        /// Byte column of the NUL byte.
        col: u32,
    },
    /// go/scanner's "illegal UTF-8 encoding" (in code or in a comment of the
    /// header).
    #[error("illegal UTF-8 encoding")]
    InvalidUtf8 {
        /// Line of the bad byte.
        line: u32,
        /// Byte column of the bad byte.
        col: u32,
        /// The `//line` file, if a directive moved the position.
        file: Option<String>,
    },
    /// Any other go/scanner or go/parser error, with go's message, e.g.
    /// "expected 'package', found 'EOF'", "string literal not terminated",
    /// "missing import path".
    #[error("{msg}")]
    Syntax {
        /// Line of the error.
        line: u32,
        /// Byte column of the error.
        col: u32,
        /// go's message.
        msg: String,
        /// The `//line` file, if a directive moved the position.
        file: Option<String>,
    },
    /// An import path the go command rejects (empty, or with a space,
    /// non-graphic character or one of ``!"#$%&'()*,:;<=>?[\]^{|}` `` or
    /// U+FFFD). Unlike the others, go reports this one as a plain error
    /// whose text starts with the full file path ("/dir/x.go:3:2: invalid
    /// import path: a b"), not as a positioned parse error.
    #[error("invalid import path: {path}")]
    InvalidImportPath {
        /// Line of the import spec (its alias if it has one).
        line: u32,
        /// Byte column of the import spec.
        col: u32,
        /// The unquoted path, invalid UTF-8 replaced by U+FFFD.
        path: String,
        /// The `//line` file, if a directive moved the position.
        file: Option<String>,
    },
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

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn ok(src: &[u8]) -> Header {
        read_header(src, true).unwrap_or_else(|e| panic!("{e:?}"))
    }

    pub(super) fn imports(src: &[u8]) -> Vec<(String, u32, u32)> {
        ok(src).imports.into_iter().map(|i| (i.path, i.line, i.col)).collect()
    }

    pub(super) fn err(src: &[u8]) -> (u32, u32, String) {
        let e = read_header(src, true).expect_err("want error");
        let (l, c) = e.position().unwrap();
        (l, c, e.to_string())
    }

    pub(super) fn imp(p: &str, l: u32, c: u32) -> (String, u32, u32) {
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
    fn bom_is_not_counted() {
        assert_eq!(imports(b"\xef\xbb\xbfpackage p; import \"fmt\"\n"), [imp("fmt", 1, 19)]);
        // go/scanner skips a second BOM at the start too.
        assert_eq!(imports(b"\xef\xbb\xbf\xef\xbb\xbfpackage p; import \"fmt\"\n"), [imp("fmt", 1, 22)]);
        assert_eq!(err(b"\xff\xfepackage p\n").2, "illegal UTF-8 encoding (got UTF-16)");
    }

    #[test]
    fn cgo_import() {
        let h = ok(b"package p\n/*\n#include <stdio.h>\n*/\nimport \"C\"\n");
        assert!(h.imports_c());
        assert_eq!(h.imports[0].line, 5);
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
}
