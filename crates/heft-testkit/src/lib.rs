//! What heft's tests share, so that every test binary behaves the same on a
//! new machine (empty module cache, empty build cache, no `target/`):
//!
//! - [`scratch`]: private directories under cargo's target directory, never
//!   under the source tree, unique per test (tests of one binary run in
//!   parallel);
//! - [`go`]: the go command, which a test that needs it requires loudly;
//! - [`corpus`]: real programs from the Go module proxy at pinned versions,
//!   laid out as their own main modules, with their whole build list
//!   downloaded before a test looks at them;
//! - [`toolchain`]: older Go releases, fetched once for the whole run;
//! - [`oracle`]: `go list -e -deps -json` compared with heft's loader.

pub mod corpus;
pub mod go;
pub mod oracle;
pub mod scratch;
pub mod toolchain;

pub use corpus::{Platform, RealProgram, assert_complete};
pub use go::{go, require_go};
pub use scratch::{scratch, scratch_with, target_tmpdir, workspace_root};
