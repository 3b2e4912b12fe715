//! Readers for the go command's module files — go.mod, go.work and
//! vendor/modules.txt — plus module path rules, the module cache's
//! case-escaping and semantic version ordering.
//!
//! Parsing matches the go command's own reader: the same tokens, the same
//! accepted forms, the same error messages and positions (see
//! [`ParseError::go_format`]). Bad input never panics.

#![warn(missing_docs)]

mod error;
pub mod escape;
pub mod modfile;
pub mod semver;
mod strconv;
pub use strconv::quote;
mod syntax;
pub mod vendor;

pub use error::{ParseError, format_errors};
pub use escape::{
    EscapeError, canonical_version, check_file_path, check_import_path, check_main_module_path, check_path,
    check_path_major, escape_path, escape_version, is_pseudo_version, split_path_version, unescape_path,
    unescape_version,
};
pub use modfile::{
    Exclude, Godebug, ModFile, Mode, Replace, ReplaceTarget, Require, Retract, Use, WorkFile, is_directory_path,
    is_go_version_syntax, parse_go_mod, parse_go_mod_all, parse_go_mod_lax, parse_go_work, parse_go_work_all,
};
pub use semver::{compare_go_versions, compare_versions, is_valid_go_version, is_valid_version};
pub use vendor::{ModulesTxt, VendoredModule, parse_modules_txt};
