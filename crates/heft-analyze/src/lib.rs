//! heft's analysis: from a loaded Go program and the weights of its
//! packages to values — ranked cuts, eviction plans, module plans,
//! findings, size diffs, package selection. No printing, no current
//! directory, no command-line types: warnings are returned with the
//! values, and heft-report renders them.

#![warn(missing_docs)]

pub mod check;
pub mod config;
pub mod cuts;
pub mod diagnostic;
pub mod diff;
pub mod evict;
pub mod findings;
pub mod graph;
pub mod heap;
pub mod lock;
pub mod recipe;
pub mod report;
pub mod select;
pub mod size;
pub mod weights;
pub mod why;

pub use diagnostic::{Code, Diagnostic, Hop, Location, Related, Severity};
pub use graph::{ImportGraph, ModuleGraph, cuttable, user_owned};
pub use heft_graph::why::Chains;
pub use recipe::Recipe;
pub use select::PackageSelector;
pub use weights::{Weight, Weights};

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnalyzeError {
    /// A measured weight was asked for without measurements.
    #[error(
        "--by {by} needs measurements: save them with `heft measure --json ROOT... > m.json` and pass --measurements m.json"
    )]
    NeedsMeasurements {
        /// The weight's name.
        by: &'static str,
    },
    /// `--by binary` without a binary.
    #[error(
        "--by binary needs the binary: build it from the same root (go build -o app ./cmd/x) and pass --binary app"
    )]
    NeedsBinary,
    /// A package selector matched nothing, or more than one package.
    #[error(transparent)]
    Select(#[from] select::SelectError),
    /// No plan of cuts frees the target.
    #[error(transparent)]
    Evict(#[from] evict::EvictionError),
}

/// How many of `len` items `--top n` shows: the first n, or all when n is
/// 0 (the same in every command).
pub fn top(n: usize, len: usize) -> usize {
    if n == 0 { len } else { n.min(len) }
}

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
