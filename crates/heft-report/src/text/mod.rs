//! Text for a terminal: what each command prints by default.

mod cuts;
mod diagnostic;
mod diff;
mod explain;
mod findings;
mod gc;
mod heap;
mod measure;
mod report;
mod size;
mod why;

pub use cuts::{cuts, eviction, module_cuts, package_cuts, sites};
pub use diagnostic::diagnostics;
pub use diff::diff;
pub(crate) use diff::{any_measured, cells, unchanged};
pub use explain::explain;
pub use findings::{findings, findings_summary};
pub use gc::gc;
pub(crate) use gc::{advice_sentences, median, opt_mib, per_minute, percent, settings};
pub use heap::{heap, heap_diff};
pub use measure::measurement;
pub(crate) use report::measured_cells;
pub use report::report;
pub use size::{size, size_diff};
pub use why::{chain, chains};

use std::io::{self, Write};

use heft_load::{PkgId, Program};

/// `heft deps`: one import path per line, in `order`.
pub fn packages(out: &mut impl Write, prog: &Program, order: &[PkgId]) -> io::Result<()> {
    for &id in order {
        writeln!(out, "{}", prog.package(id).path)?;
    }
    Ok(())
}
