//! Text for a terminal: what each command prints by default.

mod cuts;
mod explain;
mod findings;
mod measure;
mod report;
mod size;
mod why;

pub use cuts::{cuts, eviction, module_cuts, package_cuts, sites};
pub use explain::explain;
pub use findings::findings;
pub use measure::measurement;
pub(crate) use report::measured_cells;
pub use report::report;
pub use size::{size, size_diff};
pub use why::{chain, chains};
