//! heft's outputs: one module per format over heft-analyze's values —
//! [`text`] for a terminal, [`markdown`] for a pull request, [`json`] for
//! tools (its documents and their versions in one place). Renderers write
//! to any `io::Write`; paths in text are shown relative to the directory
//! the caller names.

#![warn(missing_docs)]

pub mod json;
pub mod markdown;
pub mod table;
pub mod text;

use std::path::{Path, PathBuf};

use heft_analyze::Location;

/// Human-sized bytes: 512 B, 12.3 kB, 4.5 MB (decimal units, as Go's
/// tools and size reports print them).
pub fn human_bytes(n: u64) -> String {
    match n {
        0..1_000 => format!("{n} B"),
        1_000..1_000_000 => format!("{:.1} kB", n as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        _ => format!("{:.1} GB", n as f64 / 1e9),
    }
}

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
