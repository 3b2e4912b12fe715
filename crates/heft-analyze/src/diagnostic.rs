//! One model of a finding: where it is ([`Location`]), what it is
//! ([`Code`], [`Severity`], a message), how it got into the binary (the
//! import chain) and what to do ([`Diagnostic::recipe`]). Every output
//! format renders from it.

use std::path::{Path, PathBuf};

use heft_load::{Package, PkgId, Program, Site};
use serde::Serialize;

/// A place in a package's source: the file relative to its module's root
/// (the standard library's root is `$GOROOT/src`), as JSON
/// `{"package", "file", "line", "col"}` everywhere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The package's import path.
    pub package: String,
    /// The file, relative to the module root, with `/` separators.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in bytes.
    pub col: u32,
    /// The module root the file is relative to.
    #[serde(skip)]
    pub root: PathBuf,
}

impl Location {
    /// A place in file `name` of package `id` (a file of its directory).
    pub fn new(prog: &Program, id: PkgId, name: &str, line: u32, col: u32) -> Location {
        let p = prog.package(id);
        let root = module_root(prog, p);
        let abs = p.dir.join(name);
        let file = abs.strip_prefix(&root).unwrap_or(Path::new(name));
        let file = file.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        Location { package: p.path.clone(), file, line, col, root }
    }

    /// An import site of package `id`.
    pub fn of_site(prog: &Program, id: PkgId, site: &Site) -> Location {
        Location::new(prog, id, prog.package(id).site_file(site), site.line, site.col)
    }

    /// The file's absolute path.
    pub fn path(&self) -> PathBuf {
        self.root.join(&self.file)
    }
}

/// Where a package's module lives: the module's directory, `$GOROOT/src`
/// for the standard library (its directory less the import path), or the
/// package's own directory when neither applies.
fn module_root(prog: &Program, p: &Package) -> PathBuf {
    if let Some(m) = p.module {
        let dir = &prog.modules.list[m as usize].dir;
        if p.dir.starts_with(dir) {
            return dir.clone();
        }
    }
    if p.standard {
        let depth = p.path.split('/').count();
        if let Some(root) = p.dir.ancestors().nth(depth) {
            return root.to_path_buf();
        }
    }
    p.dir.clone()
}

/// The sites where package `from` imports `to` (none for an import the
/// toolchain adds).
pub fn import_sites(prog: &Program, from: PkgId, to: PkgId) -> Vec<Location> {
    let p = prog.package(from);
    p.imports
        .iter()
        .filter(|i| i.target == to)
        .flat_map(|i| i.sites.iter().map(|s| Location::of_site(prog, from, s)))
        .collect()
}

/// The kind of a finding: a stable code, for suppressions, SARIF rules and
/// scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Code {
    /// Test-only code (`testing`, test frameworks) linked into a binary.
    #[serde(rename = "test-code-in-binary")]
    TestCodeInBinary,
    /// Work a package does at start-up that could wait for first use.
    #[serde(rename = "eager-init")]
    EagerInit,
    /// An import used for constants only that drags packages in.
    #[serde(rename = "constant-only-import")]
    ConstantOnlyImport,
    /// A binary links a package a `[[forbid]]` rule of heft.toml forbids.
    #[serde(rename = "forbidden-dependency")]
    ForbiddenDependency,
    /// A binary is over a budget of heft.toml.
    #[serde(rename = "budget-exceeded")]
    BudgetExceeded,
    /// An import brings packages heft.lock does not list.
    #[serde(rename = "new-dependency")]
    NewDependency,
    /// heft.lock lists packages a binary no longer links.
    #[serde(rename = "stale-lock")]
    StaleLock,
}

impl Code {
    /// Every code, in the order of the rules of a SARIF log.
    pub const ALL: [Code; 7] = [
        Code::TestCodeInBinary,
        Code::EagerInit,
        Code::ConstantOnlyImport,
        Code::ForbiddenDependency,
        Code::BudgetExceeded,
        Code::NewDependency,
        Code::StaleLock,
    ];

    /// The code as written in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::TestCodeInBinary => "test-code-in-binary",
            Code::EagerInit => "eager-init",
            Code::ConstantOnlyImport => "constant-only-import",
            Code::ForbiddenDependency => "forbidden-dependency",
            Code::BudgetExceeded => "budget-exceeded",
            Code::NewDependency => "new-dependency",
            Code::StaleLock => "stale-lock",
        }
    }

    /// What the code means, in a line.
    pub fn description(self) -> &'static str {
        match self {
            Code::TestCodeInBinary => "Test-only code (testing, test frameworks) linked into a production binary",
            Code::EagerInit => "Work done at start-up that could wait for first use",
            Code::ConstantOnlyImport => "An import used for constants only that drags packages into the binary",
            Code::ForbiddenDependency => "A binary links a package that heft.toml forbids",
            Code::BudgetExceeded => "A binary is over a budget of heft.toml",
            Code::NewDependency => "An import brings packages that heft.lock does not list",
            Code::StaleLock => "heft.lock lists packages the binary no longer links",
        }
    }
}

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing.
    Note,
    /// Worth fixing.
    Warning,
    /// Must be fixed (a broken rule).
    Error,
}

/// One package of an import chain, with the site of its import by the
/// previous one (none for the root, or for an import the toolchain adds).
#[derive(Clone, Debug, Serialize)]
pub struct Hop {
    /// The package's import path.
    pub package: String,
    /// Where the previous package of the chain imports it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
}

impl Hop {
    /// The hops of a chain of packages, each at the first site of its import.
    pub fn chain(prog: &Program, chain: &[PkgId]) -> Vec<Hop> {
        chain
            .iter()
            .enumerate()
            .map(|(i, &v)| Hop {
                package: prog.package(v).path.clone(),
                at: (i > 0).then(|| import_sites(prog, chain[i - 1], v).into_iter().next()).flatten(),
            })
            .collect()
    }
}

/// A further place that explains a finding (an import that lets the
/// package in, one initializer of many), with its own recipe.
#[derive(Clone, Debug, Serialize)]
pub struct Related {
    /// What happens there.
    pub message: String,
    /// A detail (what an importer uses of what it imports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// What to do there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipe: Option<String>,
}

/// One finding.
#[derive(Clone, Debug, Serialize)]
pub struct Diagnostic {
    /// Its kind.
    pub code: Code,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where to act.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The binaries (roots) it concerns.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub binaries: Vec<String>,
    /// How the package got into a binary: the shortest chain from a root.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<Hop>,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipe: Option<String>,
    /// Other places that explain it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// The packages acting on it frees.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removes: Vec<String>,
}
