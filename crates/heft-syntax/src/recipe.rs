//! What to do about an edge, from its anatomy.

use serde::Serialize;

use crate::{Anatomy, ImportForm, Kind};

/// A function at most this many lines long (with its body) is "small".
pub const SMALL_FUNCTION_LINES: u32 = 30;

/// Test code that has no business in a production binary: a pattern is an
/// import path, or `prefix/...` for the path and everything under it.
pub const TEST_PACKAGES: &[&str] = &[
    "testing/...",
    "net/http/httptest",
    "github.com/stretchr/testify/...",
    "github.com/google/go-cmp/...",
    "go.uber.org/mock/...",
    "github.com/golang/mock/...",
    "github.com/onsi/ginkgo/...",
    "github.com/onsi/gomega/...",
    "gotest.tools/...",
];

/// Whether an import path matches a test-package pattern.
pub fn matches_pattern(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix("/...") {
        Some(prefix) => path == prefix || path.strip_prefix(prefix).is_some_and(|r| r.starts_with('/')),
        None => path == pattern,
    }
}

/// Whether a package is test code by [`TEST_PACKAGES`].
pub fn is_test_package(path: &str) -> bool {
    TEST_PACKAGES.iter().any(|p| matches_pattern(p, path))
}

/// How to cut an edge, judged from what the importer uses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "recipe", rename_all = "snake_case")]
pub enum Recipe {
    /// Nothing of B is used by name: a blank (`_`) import for side effects,
    /// or an import the importer's non-test files do not use.
    NothingUsed { blank: bool },
    /// Only constants: copy them, or move them to a leaf package.
    ConstantsOnly { names: Vec<String> },
    /// Only interface types (and their methods): declare the interface locally.
    InterfacesOnly { names: Vec<String> },
    /// One error type, used as an `errors.As`/`errors.Is` target (with its
    /// fields and methods): match on a method-set interface instead.
    ErrorTarget { name: String, members: Vec<String> },
    /// One small function: move (or copy) it next to its only user.
    SmallFunction { name: String, lines: u32 },
    /// Only test helpers: move them to a `_test.go` file, or drop the unused
    /// `testing` parameter.
    TestHelpers { names: Vec<String> },
    /// Anything else: the cut means replacing this many identifiers.
    Rework { identifiers: usize },
}

impl Recipe {
    /// A short name for tables (`constants-only`, …).
    pub fn label(&self) -> &'static str {
        match self {
            Recipe::NothingUsed { .. } => "nothing-used",
            Recipe::ConstantsOnly { .. } => "constants-only",
            Recipe::InterfacesOnly { .. } => "interfaces-only",
            Recipe::ErrorTarget { .. } => "errors-as-target",
            Recipe::SmallFunction { .. } => "small-function",
            Recipe::TestHelpers { .. } => "test-helpers",
            Recipe::Rework { .. } => "rework",
        }
    }

    /// What to do, in a sentence.
    pub fn text(&self) -> String {
        match self {
            Recipe::NothingUsed { blank: true } => {
                "blank import, for side effects only: register it where it is needed (e.g. in main) instead".into()
            }
            Recipe::NothingUsed { blank: false } => "no identifier used: delete the import".into(),
            Recipe::ConstantsOnly { names } => format!(
                "constants only ({}): inline them, or move them to a leaf package both can import",
                names.join(", ")
            ),
            Recipe::InterfacesOnly { names } => format!(
                "interface types only ({}): declare the interface locally; Go matches interfaces structurally",
                names.join(", ")
            ),
            Recipe::ErrorTarget { name, members } => {
                let via = if members.is_empty() { String::new() } else { format!(" (uses {})", members.join(", ")) };
                format!(
                    "error type {name} only used as an errors.As/errors.Is target{via}: match on a local method-set interface instead, or move the type to a leaf package"
                )
            }
            Recipe::SmallFunction { name, lines } => {
                format!("one small function ({name}, {lines} lines): move or copy it next to its only user")
            }
            Recipe::TestHelpers { names } => format!(
                "test helpers only ({}): move them to a _test.go file, or drop the unused testing parameter",
                names.join(", ")
            ),
            Recipe::Rework { identifiers } => format!("{identifiers} identifiers used: the cut needs a real refactor"),
        }
    }
}

/// The recipe for an edge.
pub fn recipe_for(a: &Anatomy) -> Recipe {
    let top: Vec<_> = a.top_level().collect();
    let names = |k: &dyn Fn(Kind) -> bool| -> Vec<String> {
        top.iter().filter(|i| k(i.kind)).map(|i| i.name.clone()).collect()
    };
    if top.is_empty() {
        return Recipe::NothingUsed { blank: a.forms == [ImportForm::Blank] };
    }
    if is_test_package(&a.import_path) && top.iter().all(|i| i.kind.is_type()) {
        return Recipe::TestHelpers { names: names(&|_| true) };
    }
    if top.iter().all(|i| i.kind == Kind::Constant) {
        return Recipe::ConstantsOnly { names: names(&|_| true) };
    }
    if top.iter().all(|i| i.kind == Kind::Interface) {
        return Recipe::InterfacesOnly { names: names(&|_| true) };
    }
    if let [t] = &top[..]
        && t.kind.is_type()
        && t.errors_target
    {
        let prefix = format!("{}.", t.name);
        let members = a.idents.iter().filter(|i| i.name.starts_with(&prefix)).map(|i| i.name.clone()).collect();
        return Recipe::ErrorTarget { name: t.name.clone(), members };
    }
    // Test helpers: functions that take a testing parameter, with the types
    // they return.
    if top.iter().any(|i| i.test_helper) && top.iter().all(|i| i.test_helper || i.kind.is_type()) {
        return Recipe::TestHelpers { names: names(&|_| true) };
    }
    if let [f] = &top[..]
        && f.kind == Kind::Function
        && f.decl_lines.is_some_and(|l| l <= SMALL_FUNCTION_LINES)
    {
        return Recipe::SmallFunction { name: f.name.clone(), lines: f.decl_lines.unwrap_or(0) };
    }
    Recipe::Rework { identifiers: top.len() }
}
