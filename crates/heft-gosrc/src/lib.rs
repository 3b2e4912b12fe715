//! Go source-file rules of `go list`: file names, build constraints and
//! the import header, matching the Go 1.26 go command byte for byte.
//!
//! - [`filename`]: GOOS/GOARCH file-name suffixes and the known-OS/arch lists.
//! - [`constraint`]: `//go:build` and `// +build` lines.
//! - [`header`]: package clause and imports (go/build's import reader
//!   followed by go/parser's ImportsOnly rules and messages).
//! - [`context`]: tags of a target and the per-file include/exclude decision.
//! - [`runes`]: Go's `strconv.IsPrint` and import-path rune class, shared
//!   with heft-gomod so that one generated Unicode table serves both.

#![warn(missing_docs)]

mod chars;
pub mod constraint;
pub mod context;
pub mod filename;
pub mod header;
pub mod runes;
mod unicode_tables;

pub use context::{BuildContext, FileError, FileMatch, NameMatch};
pub use header::{Header, HeaderError, Import, read_header};
