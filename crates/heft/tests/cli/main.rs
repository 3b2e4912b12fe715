//! heft's command-line tests: one test binary, one pinned environment
//! ([`heft`]), the corpus and the Go guard of heft-testkit.

mod env;

mod bad_input;
mod cuts_example;
mod cuts_real;
mod explain_cli;
mod findings_example;
mod first_contact;
mod guard;
mod guard_real;
mod heap;
mod measure_bad;
mod size_bad_input;
mod size_html;
mod snapshots;
mod why_real;
