//! What to do: how to cut an import edge (from what the importer uses of
//! the imported package), which packages are test code, and how to defer an
//! eager initializer to first use.

use heft_syntax::{Anatomy, EagerInit, EagerKind, ImportForm, Kind};
use serde::Serialize;

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
    NothingUsed {
        /// The import is a blank one.
        blank: bool,
        /// The importer is a main package (the blank import is already
        /// where registrations belong).
        #[serde(skip_serializing_if = "std::ops::Not::not", default)]
        in_main: bool,
    },
    /// Only constants (and plain named types, such as the constants' own
    /// type): copy them, or move them and their type to a leaf package.
    ConstantsOnly {
        /// The constants.
        names: Vec<String>,
        /// The named types used with them.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        types: Vec<String>,
    },
    /// Only interface types (and their methods): declare the interface locally.
    InterfacesOnly {
        /// The interface types.
        names: Vec<String>,
    },
    /// One error type, used as an `errors.As`/`errors.Is` target (with its
    /// fields and methods): match on a method-set interface instead.
    ErrorTarget {
        /// The type.
        name: String,
        /// Its fields and methods used.
        members: Vec<String>,
    },
    /// One small function: move (or copy) it next to its only user.
    SmallFunction {
        /// The function.
        name: String,
        /// Its lines, with the body.
        lines: u32,
    },
    /// One small function that itself reaches packages the cut would
    /// remove: copying it would keep them, so its result (or the function
    /// itself, as a value) is passed in instead.
    PassItIn {
        /// The function.
        name: String,
        /// The packages it reaches that the cut would otherwise remove.
        reaches: Vec<String>,
    },
    /// The one function of the importer that uses B is called from one
    /// other package only: move it there (the importer then no longer
    /// imports B, and B stays only in the binaries that link its caller).
    MoveToCaller {
        /// The importer's function.
        name: String,
        /// The package that calls it, the only one.
        to: String,
        /// The binaries that link that package (they keep what the cut
        /// would remove); the others are freed of it.
        kept_by: Vec<String>,
    },
    /// Only test helpers: move them to a `_test.go` file, or drop the unused
    /// `testing` parameter.
    TestHelpers {
        /// The helpers (and the types they return).
        names: Vec<String>,
    },
    /// Anything else: the cut means replacing this many identifiers.
    Rework {
        /// Distinct identifiers used.
        identifiers: usize,
    },
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
            Recipe::PassItIn { .. } => "pass-it-in",
            Recipe::MoveToCaller { .. } => "move-to-caller",
            Recipe::TestHelpers { .. } => "test-helpers",
            Recipe::Rework { .. } => "rework",
        }
    }

    /// What to do, in a sentence.
    pub fn text(&self) -> String {
        match self {
            Recipe::NothingUsed { blank: true, in_main: true } => {
                "blank import in main, for side effects only: keep it only in the binaries that use what its init registers".into()
            }
            Recipe::NothingUsed { blank: true, in_main: false } => {
                "blank import, for side effects only: register it where it is needed (e.g. in main) instead".into()
            }
            Recipe::NothingUsed { blank: false, .. } => "no identifier used: delete the import".into(),
            Recipe::ConstantsOnly { names, types } if types.is_empty() => format!(
                "constants only ({}): inline them, or move them to a leaf package both can import",
                names.join(", ")
            ),
            Recipe::ConstantsOnly { names, types } => format!(
                "constants only ({}, of type {}): move the constants and their type to a leaf package both can import",
                names.join(", "),
                types.join(", ")
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
            Recipe::PassItIn { name, reaches } => format!(
                "one small function ({name}), but it reaches {}, which the cut would remove: copying it would keep them; \
                 pass in its result, or {name} itself as a function value, from the code that already links them",
                reaches.join(", ")
            ),
            Recipe::MoveToCaller { name, to, kept_by } => {
                let kept = match &kept_by[..] {
                    [] => format!("no binary links {to}"),
                    [one] => format!("only {one} links {to} and keeps what the cut frees"),
                    many => format!("only {} link {to} and keep what the cut frees", many.join(", ")),
                };
                format!("only {name} uses it, and {to} alone calls {name}: move {name} to {to}, its only caller (the import goes with it; {kept})")
            }
            Recipe::TestHelpers { names } => format!(
                "test helpers only ({}): move them to a _test.go file, or drop the unused testing parameter",
                names.join(", ")
            ),
            Recipe::Rework { .. } => {
                "a real refactor: replace what it uses with code of its own or an interface it declares".into()
            }
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
        return Recipe::NothingUsed { blank: a.forms == [ImportForm::Blank], in_main: false };
    }
    if is_test_package(&a.import_path) && top.iter().all(|i| i.kind.is_type()) {
        return Recipe::TestHelpers { names: names(&|_| true) };
    }
    // Constants, with the plain named types they are declared with
    // (`type DataType string; const Integer DataType = "integer"`).
    if top.iter().any(|i| i.kind == Kind::Constant) && top.iter().all(|i| matches!(i.kind, Kind::Constant | Kind::Type))
    {
        return Recipe::ConstantsOnly { names: names(&|k| k == Kind::Constant), types: names(&|k| k == Kind::Type) };
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

/// The recipe for cutting `importer` → `b` (anatomy `a`), checked against
/// what the cut removes (`removed`): a small function that itself reaches
/// removed packages cannot just be copied; a blank import already in a
/// main package is not told to move to main.
pub fn recipe_for_cut(
    prog: &heft_load::Program,
    importer: heft_load::PkgId,
    b: heft_load::PkgId,
    a: &Anatomy,
    removed: &[heft_load::PkgId],
) -> Recipe {
    let recipe = recipe_for(a);
    if let Recipe::NothingUsed { blank: true, .. } = recipe {
        return Recipe::NothingUsed { blank: true, in_main: prog.package(importer).name == "main" };
    }
    let recipe = match recipe {
        Recipe::SmallFunction { name, lines } => match reaches_removed(prog, b, &name, removed) {
            reaches if reaches.is_empty() => return Recipe::SmallFunction { name, lines },
            reaches => Recipe::PassItIn { name, reaches },
        },
        Recipe::Rework { .. } => recipe,
        _ => return recipe,
    };
    move_to_caller(prog, importer, b).unwrap_or(recipe)
}

/// The packages of `removed` (but B) that B's function `name` reaches: by
/// the imports its body (and what it calls in B) names; none when B's files
/// cannot be read.
fn reaches_removed(
    prog: &heft_load::Program,
    b: heft_load::PkgId,
    name: &str,
    removed: &[heft_load::PkgId],
) -> Vec<String> {
    let pb = prog.package(b);
    let files: Vec<String> = pb.source_files().map(str::to_string).collect();
    let names: std::collections::HashMap<String, String> =
        pb.imports.iter().map(|i| (i.path.clone(), prog.package(i.target).name.clone())).collect();
    let Ok(Some(reached)) = heft_syntax::function_imports(&pb.dir, &files, name, &names) else { return Vec::new() };
    removed
        .iter()
        .filter(|&&id| id != b)
        .map(|&id| &prog.package(id).path)
        .filter(|p| reached.contains(*p))
        .cloned()
        .collect()
}

/// "Move it to its only caller": when one exported function of the
/// importer holds every use of B (see [`heft_syntax::sole_function_using`])
/// and every package of the program that calls it is one other package P,
/// moving the function to P takes the import with it. Only offered when
/// that frees something: some binary links the importer but not P.
pub fn move_to_caller(prog: &heft_load::Program, importer: heft_load::PkgId, b: heft_load::PkgId) -> Option<Recipe> {
    let (pa, pb) = (prog.package(importer), prog.package(b));
    // One binary reaches every package loaded for it, the caller too: the
    // move would free nothing there.
    if pa.name == "main" || prog.roots.len() < 2 {
        return None;
    }
    let importers: Vec<(heft_load::PkgId, heft_load::PkgId)> = (0..prog.packages.len() as heft_load::PkgId)
        .filter(|&p| p != importer && prog.package(p).imports.iter().any(|i| i.target == importer))
        .map(|p| (p, importer))
        .collect();
    let reach: Vec<Vec<bool>> = prog.roots.iter().map(|&root| reachable(prog, root)).collect();
    // Some binary links the importer without one of its importers, or no
    // caller can be left out of any binary (checked before reading files).
    if !reach.iter().any(|r| r[importer as usize] && importers.iter().any(|&(p, _)| !r[p as usize])) {
        return None;
    }
    let files: Vec<String> = pa.source_files().map(str::to_string).collect();
    let name = heft_syntax::sole_function_using(&pa.dir, &files, &pb.path, &pb.name).ok()??;
    let mut warnings = Vec::new();
    let mut callers = Vec::new();
    for (&(p, _), uses) in importers.iter().zip(crate::cuts::qualified_uses(prog, &importers, &mut warnings)) {
        // A dot import (or an unreadable file) hides its calls.
        let uses = uses?;
        if uses.contains(&name) {
            callers.push(p);
        }
    }
    let [to] = callers[..] else { return None };
    let (mut kept_by, mut freed) = (Vec::new(), false);
    for (&root, r) in prog.roots.iter().zip(&reach) {
        if r[to as usize] {
            kept_by.push(prog.package(root).path.clone());
        } else if r[importer as usize] {
            freed = true;
        }
    }
    freed.then(|| Recipe::MoveToCaller { name, to: prog.package(to).path.clone(), kept_by })
}

/// The packages `root` reaches by imports (itself included).
fn reachable(prog: &heft_load::Program, root: heft_load::PkgId) -> Vec<bool> {
    let mut seen = vec![false; prog.packages.len()];
    let mut stack = vec![root];
    seen[root as usize] = true;
    while let Some(p) = stack.pop() {
        for i in &prog.package(p).imports {
            if !std::mem::replace(&mut seen[i.target as usize], true) {
                stack.push(i.target);
            }
        }
    }
    seen
}

/// How to defer an eager initializer to its first use.
pub fn eager_recipe(init: &EagerInit) -> String {
    if init.kind == EagerKind::InitFunc {
        let calls = if init.calls.is_empty() {
            String::new()
        } else {
            format!(" (calls {})", init.calls.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
        };
        return format!(
            "func init() runs at start-up{calls}: move its work into `var setup = sync.OnceFunc(func() {{ ... }})` and call setup() where the results are first needed (keep only registrations that must happen at start-up)"
        );
    }
    // The initializer as written when it reads as one call; the variable's
    // type when known (never a made-up `T`).
    let what = match (&init.call, init.kind, &init.value_type) {
        (Some(c), _, _) if !c.starts_with('(') => c.clone(),
        (None, EagerKind::LargeLiteral, Some(ty)) => format!("{ty}{{…}}"),
        _ => "the current initializer".to_string(),
    };
    match (&init.names[..], &init.value_type) {
        ([name], Some(ty)) => {
            format!("var {name} = sync.OnceValue(func() {ty} {{ return {what} }}); call {name}() where it is used")
        }
        ([name], None) => format!(
            "make {name} a sync.OnceValue whose function returns {what} (with {name}'s type), and call {name}() where it is used"
        ),
        ([a, b], _) => format!(
            "var {a}And{b} = sync.OnceValues(func() ({a}'s type, {b}'s type) {{ return {what} }}); call it where {a} and {b} are used"
        ),
        (names, _) => format!(
            "wrap the initializer in sync.OnceValue (a function returning a struct of {}) and call it where they are used",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use heft_syntax::{Counts, Ident};

    use super::*;

    fn ident(name: &str, kind: Kind) -> Ident {
        Ident {
            name: name.to_string(),
            kind,
            errors_target: false,
            sites: Vec::new(),
            decl: None,
            decl_lines: None,
            test_helper: false,
        }
    }

    fn anatomy(import_path: &str, idents: Vec<Ident>) -> Anatomy {
        Anatomy {
            import_path: import_path.to_string(),
            importer_files: vec!["a.go".to_string()],
            forms: vec![ImportForm::Named],
            package_name: "b".to_string(),
            counts: Counts { identifiers: idents.len(), ..Counts::default() },
            idents,
        }
    }

    #[test]
    fn recipes_follow_from_what_is_used() {
        let small = Ident { decl_lines: Some(3), ..ident("Small", Kind::Function) };
        assert_eq!(
            recipe_for(&anatomy("example.com/b", vec![small])),
            Recipe::SmallFunction { name: "Small".into(), lines: 3 }
        );
        let big = Ident { decl_lines: Some(SMALL_FUNCTION_LINES + 1), ..ident("Big", Kind::Function) };
        assert_eq!(recipe_for(&anatomy("example.com/b", vec![big])), Recipe::Rework { identifiers: 1 });
        assert_eq!(
            recipe_for(&anatomy("example.com/b", vec![ident("Source", Kind::Interface)])),
            Recipe::InterfacesOnly { names: vec!["Source".into()] }
        );
        let helper = Ident { test_helper: true, ..ident("Helper", Kind::Function) };
        assert_eq!(
            recipe_for(&anatomy("example.com/b", vec![helper])),
            Recipe::TestHelpers { names: vec!["Helper".into()] }
        );
        let limit = recipe_for(&anatomy("example.com/b", vec![ident("Limit", Kind::Constant)]));
        assert_eq!(limit, Recipe::ConstantsOnly { names: vec!["Limit".into()], types: vec![] });
        assert!(limit.text().contains("leaf package"));
        let typed = recipe_for(&anatomy(
            "example.com/b",
            vec![ident("DataType", Kind::Type), ident("Integer", Kind::Constant)],
        ));
        assert_eq!(typed, Recipe::ConstantsOnly { names: vec!["Integer".into()], types: vec!["DataType".into()] });
        assert_eq!(
            typed.text(),
            "constants only (Integer, of type DataType): move the constants and their type to a leaf package both can import"
        );
        let struct_too = vec![ident("Integer", Kind::Constant), ident("Schema", Kind::Struct)];
        assert_eq!(recipe_for(&anatomy("example.com/b", struct_too)), Recipe::Rework { identifiers: 2 });
        let target = Ident { errors_target: true, ..ident("Error", Kind::Type) };
        let code = ident("Error.Code", Kind::Field);
        assert_eq!(
            recipe_for(&anatomy("example.com/b", vec![target, code])),
            Recipe::ErrorTarget { name: "Error".into(), members: vec!["Error.Code".into()] }
        );
        let mut blank = anatomy("example.com/b", Vec::new());
        blank.forms = vec![ImportForm::Blank];
        assert_eq!(recipe_for(&blank), Recipe::NothingUsed { blank: true, in_main: false });
    }

    #[test]
    fn patterns_match_the_path_and_what_is_under_it() {
        assert!(matches_pattern("testing/...", "testing"));
        assert!(matches_pattern("testing/...", "testing/fstest"));
        assert!(!matches_pattern("testing/...", "testingx"));
        assert!(matches_pattern("net/http/httptest", "net/http/httptest"));
        assert!(!matches_pattern("net/http/httptest", "net/http/httptest/x"));
        assert!(matches_pattern("github.com/stretchr/testify/...", "github.com/stretchr/testify/require"));
        assert!(is_test_package("testing"));
    }
}
