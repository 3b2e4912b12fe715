//! One module per command: its arguments, and the calls into heft-analyze
//! and heft-report that answer it.

pub mod check;
pub mod cuts;
pub mod deps;
pub mod diff;
pub mod evict;
pub mod explain;
pub mod findings;
pub mod gc;
pub mod heap;
pub mod lock;
pub mod measure;
pub mod report;
pub mod size;
pub mod why;
