//! heft's outputs: one module per format over heft-analyze's values —
//! [`text`] for a terminal, [`markdown`] for a pull request, [`json`] for
//! tools (its documents and their versions in one place), [`html`] for a
//! browser (self-contained pages over the JSON documents). Renderers write
//! to any `io::Write`; paths in text are shown relative to the directory
//! the caller names.

#![warn(missing_docs)]

pub mod github;
pub mod html;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod table;
pub mod text;

use std::path::{Path, PathBuf};

use heft_analyze::Location;
pub use heft_analyze::human_bytes;

/// A change in bytes, signed, in human units.
pub fn signed_bytes(delta: i64) -> String {
    let sign = if delta < 0 { "-" } else { "+" };
    format!("{sign}{}", human_bytes(delta.unsigned_abs()))
}

/// "s" unless there is one.
pub fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Where text output shows paths from: files inside this directory are
/// shown relative to it.
#[derive(Clone, Debug)]
pub struct Shown {
    /// The directory (the user's working directory).
    pub dir: PathBuf,
}

impl Shown {
    /// Paths relative to `dir`.
    pub fn from(dir: impl Into<PathBuf>) -> Shown {
        Shown { dir: dir.into() }
    }

    /// A path as shown: relative to the directory when inside it.
    pub fn path<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.dir).unwrap_or(path)
    }

    /// `file:line` of a location.
    pub fn at(&self, loc: &Location) -> String {
        format!("{}:{}", self.path(&loc.path()).display(), loc.line)
    }

    /// `file:line:col` of a location.
    pub fn at_col(&self, loc: &Location) -> String {
        format!("{}:{}:{}", self.path(&loc.path()).display(), loc.line, loc.col)
    }
}
