//! Go syntax for heft: the anatomy of an import edge A→B — every identifier
//! of B that A's non-test files use, with its kind and sites — and the
//! eager initializers of a package. Syntax facts only: what to do about
//! them is heft-analyze's.
//!
//! Files are parsed with tree-sitter-go, only those of the edges asked for,
//! in parallel. There is no type checker: names are resolved by scope
//! (imports, parameters, `:=`, `var`, `const`, `type` declarations, range and
//! switch variables), kinds come from B's top-level declarations, and members
//! (methods, fields) are followed through values whose type is evident from
//! the syntax: declared types, composite literals, results of B's functions,
//! and fields of A's struct types.

#![warn(missing_docs)]

pub mod eager;
mod qualified;
mod walk;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;
use serde::Serialize;
use tree_sitter::{Node, Parser, Tree};

pub use eager::{EagerInit, EagerKind, LARGE_LITERAL_ELEMENTS, eager_inits, eager_inits_of_packages};

/// What kind of thing of the imported package a use refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A `const`.
    Constant,
    /// A package-level `var`.
    Variable,
    /// A function (not a method).
    Function,
    /// An interface type.
    Interface,
    /// A struct type.
    Struct,
    /// Any other defined type or alias (`type Code int`, `type F func()`).
    Type,
    /// A method of one of B's types, reached through a value of that type.
    Method,
    /// A field of one of B's struct types, reached through a value of that type.
    Field,
    /// A name the importer qualifies with B's name that B does not declare
    /// (in the files given): a broken build, or a file B lacks for this target.
    Unknown,
}

impl Kind {
    /// The name reports print, the same as the JSON one: `constant`, `method`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Constant => "constant",
            Kind::Variable => "variable",
            Kind::Function => "function",
            Kind::Interface => "interface",
            Kind::Struct => "struct",
            Kind::Type => "type",
            Kind::Method => "method",
            Kind::Field => "field",
            Kind::Unknown => "unknown",
        }
    }
    /// True for the kinds of B's own top-level declarations (not members).
    pub fn is_top_level(self) -> bool {
        !matches!(self, Kind::Method | Kind::Field)
    }
    /// True for type declarations: interfaces, structs and other defined types.
    pub fn is_type(self) -> bool {
        matches!(self, Kind::Interface | Kind::Struct | Kind::Type)
    }
}

/// A place in a file: the file's name in its package directory, 1-based
/// line and column (bytes, as the go command counts them).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pos {
    /// The file's name in its package directory.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in bytes.
    pub col: u32,
}

/// One top-level declaration of the imported package.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decl {
    /// What it declares (never a method or field).
    pub kind: Kind,
    /// Where it is declared: the `func` keyword for a function, the name for
    /// a `var`, `const` or `type` spec.
    pub pos: Pos,
    /// Lines the declaration spans (a function's size, with its body).
    pub lines: u32,
    /// For functions: a parameter of type `*testing.T`, `testing.TB`, … .
    pub takes_testing: bool,
    /// For functions: the type of B its first result has (`*T` or `T`);
    /// for variables: their declared type when it is one of B's.
    #[serde(skip)]
    pub value_type: Option<String>,
}

/// The declarations of a package, by name: what the importer can use.
#[derive(Clone, Debug, Default)]
pub struct PackageDecls {
    /// The name in the package clause (the first file's).
    pub name: String,
    /// Top-level declarations by name (methods and fields are in `members`).
    pub decls: HashMap<String, Decl>,
    /// Methods and fields per type name: member → (kind, result type of B for methods).
    pub members: HashMap<String, HashMap<String, (Kind, Option<String>)>>,
    /// True if a non-test file imports "testing".
    pub imports_testing: bool,
}

/// One identifier of B the importer uses.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ident {
    /// `Name`, or `Type.Member` for methods and fields.
    pub name: String,
    /// What it is in B.
    pub kind: Kind,
    /// Used as the target of `errors.As` or `errors.Is`.
    pub errors_target: bool,
    /// Where the importer uses it, in file order.
    pub sites: Vec<Pos>,
    /// Where B declares it (top-level identifiers only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decl: Option<Pos>,
    /// Lines of B's declaration (functions: with the body).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decl_lines: Option<u32>,
    /// A function of B that takes a `testing` parameter (a test helper).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub test_helper: bool,
}

/// Distinct identifiers per kind, and uses in all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    /// Distinct top-level identifiers of B used (the effort of the cut).
    pub identifiers: usize,
    /// Distinct methods and fields reached through B's types.
    pub members: usize,
    /// Use sites in all.
    pub uses: usize,
    /// Distinct identifiers and members per kind.
    pub by_kind: BTreeMap<Kind, usize>,
}

/// How the importer's files import B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportForm {
    /// `import "p"` or `import name "p"`.
    Named,
    /// `import . "p"`.
    Dot,
    /// `import _ "p"`: for its side effects only.
    Blank,
}

/// The anatomy of an import edge.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Anatomy {
    /// B's import path.
    pub import_path: String,
    /// A's files that import B, in any form, in the order given.
    pub importer_files: Vec<String>,
    /// The forms B is imported under, over all of A's files.
    pub forms: Vec<ImportForm>,
    /// B's package name (its package clause).
    pub package_name: String,
    /// What A uses of B: top-level identifiers first, then members, each
    /// in the order of their first use.
    pub idents: Vec<Ident>,
    /// Totals over `idents`.
    pub counts: Counts,
}

impl Anatomy {
    /// The top-level identifiers (not members).
    pub fn top_level(&self) -> impl Iterator<Item = &Ident> {
        self.idents.iter().filter(|i| i.kind.is_top_level())
    }
}

/// A parse error from reading a file.
#[derive(Debug)]
pub struct Error {
    /// The file that could not be read.
    pub path: PathBuf,
    /// Why it could not be read.
    pub err: std::io::Error,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.err)
    }
}

impl std::error::Error for Error {}

pub(crate) struct Parsed {
    pub name: String,
    pub src: Vec<u8>,
    pub tree: Tree,
}

fn parse_file(dir: &Path, file: &str) -> Result<Parsed, Error> {
    let path = dir.join(file);
    let src = std::fs::read(&path).map_err(|err| Error { path: path.clone(), err })?;
    Ok(parse_src(file, src))
}

fn parse_src(file: &str, src: Vec<u8>) -> Parsed {
    let mut parser = Parser::new();
    parser.set_language(&tree_sitter_go::LANGUAGE.into()).expect("tree-sitter-go matches the tree-sitter ABI");
    let tree = parser.parse(&src, None).expect("parsing without a timeout or cancellation returns a tree");
    Parsed { name: file.to_string(), src, tree }
}

/// The importer's files that can import `path` (their text has the path
/// as a string literal), parsed; the others too only when one of those
/// dot-imports it (then A's package-level names decide what is B's).
fn parse_importer(dir: &Path, files: &[String], path: &str) -> Result<Vec<Parsed>, Error> {
    parse_importer_of(dir, files, &[path])
}

/// The importer's files that import one of `paths` (imports are per
/// file, so no other file can name them), parsed; all its files when one
/// of them dot-imports a path (its names then need no qualifier).
fn parse_importer_of(dir: &Path, files: &[String], paths: &[&str]) -> Result<Vec<Parsed>, Error> {
    let srcs = read_sources(dir, files)?;
    let needles = quoted(paths);
    let mentions = |src: &[u8]| mentions_any(src, &needles);
    let (hit, rest): (Vec<_>, Vec<_>) = srcs.into_iter().partition(|(_, src)| mentions(src));
    let mut parsed: Vec<Parsed> = hit.into_par_iter().map(|(f, src)| parse_src(f, src)).collect();
    if parsed.iter().any(|p| paths.iter().any(|path| walk::dot_imports(p, path))) {
        parsed.extend(rest.into_par_iter().map(|(f, src)| parse_src(f, src)).collect::<Vec<_>>());
    }
    Ok(parsed)
}

/// The threads heft-syntax works on: rayon's, with stacks deep enough for
/// the syntax walk of pathological (generated) expressions in debug builds.
fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("heft-syntax-{i}"))
            .stack_size(64 << 20)
            .build()
            .expect("starting heft-syntax's threads")
    })
}

/// Parses the files of a package directory in parallel.
/// A package's files, read in parallel, each with its name.
pub(crate) fn read_sources<'f>(dir: &Path, files: &'f [String]) -> Result<Vec<(&'f String, Vec<u8>)>, Error> {
    files
        .par_iter()
        .map(|f| {
            let p = dir.join(f);
            std::fs::read(&p).map(|src| (f, src)).map_err(|err| Error { path: p, err })
        })
        .collect()
}

pub(crate) fn parse_files(dir: &Path, files: &[String]) -> Result<Vec<Parsed>, Error> {
    files.par_iter().map(|f| parse_file(dir, f)).collect()
}

pub(crate) fn text<'a>(n: Node, src: &'a [u8]) -> &'a str {
    std::str::from_utf8(&src[n.byte_range()]).unwrap_or("")
}

pub(crate) fn pos(file: &str, n: Node) -> Pos {
    let p = n.start_position();
    Pos { file: file.to_string(), line: p.row as u32 + 1, col: p.column as u32 + 1 }
}

/// The named children of a node with a given field name.
pub(crate) fn field_children<'t>(n: Node<'t>, field: &str) -> Vec<Node<'t>> {
    let mut c = n.walk();
    n.children_by_field_name(field, &mut c).collect()
}

pub(crate) fn named_children(n: Node) -> Vec<Node> {
    let mut c = n.walk();
    n.named_children(&mut c).collect()
}

/// The name of the local type a type expression denotes when it is `T`,
/// `*T`, `T[...]` or `(T)` with T an unqualified name.
pub(crate) fn local_type_name(n: Node, src: &[u8]) -> Option<String> {
    match n.kind() {
        "type_identifier" => Some(text(n, src).to_string()),
        "pointer_type" | "parenthesized_type" => n.named_child(0).and_then(|c| local_type_name(c, src)),
        "generic_type" => n.child_by_field_name("type").and_then(|c| local_type_name(c, src)),
        // Containers: `[]T` stands for "elements of type T" (slices, arrays,
        // map values), followed through range and indexing.
        "slice_type" | "array_type" => {
            n.child_by_field_name("element").and_then(|c| local_type_name(c, src)).map(elems)
        }
        "map_type" => n.child_by_field_name("value").and_then(|c| local_type_name(c, src)).map(elems),
        _ => None,
    }
}

/// The container of elements of type `t` (one level).
pub(crate) fn elems(t: String) -> String {
    if t.starts_with("[]") { t } else { format!("[]{t}") }
}

/// The element type of a container type name.
pub(crate) fn elem(t: &str) -> Option<String> {
    t.strip_prefix("[]").map(str::to_string)
}

fn is_testing_type(n: Node, src: &[u8], testing_names: &HashSet<String>) -> bool {
    match n.kind() {
        "pointer_type" | "parenthesized_type" => {
            n.named_child(0).is_some_and(|c| is_testing_type(c, src, testing_names))
        }
        "qualified_type" => n.child_by_field_name("package").is_some_and(|p| testing_names.contains(text(p, src))),
        _ => false,
    }
}

/// The string value of an import path literal.
pub(crate) fn import_path(n: Node, src: &[u8]) -> String {
    let t = text(n, src);
    t.trim_matches(|c| c == '"' || c == '`').to_string()
}

/// Whether `src` holds `needle` (a SIMD search: the files of large packages
/// are searched for many import paths).
pub(crate) fn contains(src: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(src, needle).is_some()
}

/// Each path as an import spec writes it: in double quotes or backquotes.
fn quoted(paths: &[&str]) -> Vec<String> {
    paths.iter().flat_map(|path| [format!("\"{path}\""), format!("`{path}`")]).collect()
}

/// Whether `src` holds one of the quoted paths.
fn mentions_any(src: &[u8], quoted: &[String]) -> bool {
    quoted.iter().any(|q| contains(src, q.as_bytes()))
}

/// Reads the top-level declarations of a package from its (non-test) files.
pub fn package_decls(dir: &Path, files: &[String]) -> Result<PackageDecls, Error> {
    pool().install(|| Ok(decls_of(&parse_files(dir, files)?)))
}

pub(crate) fn decls_of(parsed: &[Parsed]) -> PackageDecls {
    let mut out = PackageDecls::default();
    // Value types are resolved once every type name is known.
    let mut pending_results: Vec<(String, Option<String>, String)> = Vec::new();
    for f in parsed {
        let src = &f.src[..];
        let root = f.tree.root_node();
        let mut testing_names = HashSet::new();
        for n in named_children(root) {
            match n.kind() {
                "package_clause" if out.name.is_empty() => {
                    if let Some(id) = n.named_child(0) {
                        out.name = text(id, src).to_string();
                    }
                }
                "import_declaration" => {
                    for spec in import_specs(n) {
                        let Some(p) = spec.child_by_field_name("path") else { continue };
                        if import_path(p, src) == "testing" {
                            out.imports_testing = true;
                            let name = spec
                                .child_by_field_name("name")
                                .map(|x| text(x, src).to_string())
                                .unwrap_or("testing".into());
                            testing_names.insert(name);
                        }
                    }
                }
                _ => {}
            }
        }
        for n in named_children(root) {
            match n.kind() {
                "function_declaration" => {
                    let Some(name) = n.child_by_field_name("name") else { continue };
                    let mut takes_testing = false;
                    if let Some(params) = n.child_by_field_name("parameters") {
                        for p in named_children(params) {
                            if let Some(t) = p.child_by_field_name("type") {
                                takes_testing |= is_testing_type(t, src, &testing_names);
                            }
                        }
                    }
                    let name = text(name, src).to_string();
                    if let Some(r) = n.child_by_field_name("result").and_then(|r| first_result_type(r, src)) {
                        pending_results.push((name.clone(), None, r));
                    }
                    out.decls.insert(
                        name,
                        Decl {
                            kind: Kind::Function,
                            pos: pos(&f.name, n),
                            lines: span(n),
                            takes_testing,
                            value_type: None,
                        },
                    );
                }
                "method_declaration" => {
                    let Some(recv) = n.child_by_field_name("receiver") else { continue };
                    let Some(ty) = named_children(recv)
                        .into_iter()
                        .find_map(|p| p.child_by_field_name("type").and_then(|t| local_type_name(t, src)))
                    else {
                        continue;
                    };
                    let Some(name) = n.child_by_field_name("name") else { continue };
                    let result = n.child_by_field_name("result").and_then(|r| first_result_type(r, src));
                    out.members.entry(ty).or_default().insert(text(name, src).to_string(), (Kind::Method, result));
                }
                "const_declaration" | "var_declaration" => {
                    let kind = if n.kind() == "const_declaration" { Kind::Constant } else { Kind::Variable };
                    for spec in specs(n) {
                        let vt = spec.child_by_field_name("type").and_then(|t| local_type_name(t, src));
                        for name in field_children(spec, "name") {
                            if name.kind() != "identifier" {
                                continue;
                            }
                            let name = text(name, src).to_string();
                            if name == "_" {
                                continue;
                            }
                            if let Some(vt) = &vt {
                                pending_results.push((name.clone(), None, vt.clone()));
                            }
                            out.decls.insert(
                                name,
                                Decl {
                                    kind,
                                    pos: pos(&f.name, spec),
                                    lines: span(spec),
                                    takes_testing: false,
                                    value_type: None,
                                },
                            );
                        }
                    }
                }
                "type_declaration" => {
                    for spec in named_children(n) {
                        if !matches!(spec.kind(), "type_spec" | "type_alias") {
                            continue;
                        }
                        let Some(name) = spec.child_by_field_name("name") else { continue };
                        let name = text(name, src).to_string();
                        let ty = spec.child_by_field_name("type");
                        let kind = match ty.map(|t| t.kind()) {
                            Some("interface_type") => Kind::Interface,
                            Some("struct_type") => Kind::Struct,
                            _ => Kind::Type,
                        };
                        if let Some(t) = ty {
                            let members = out.members.entry(name.clone()).or_default();
                            collect_members(t, src, members);
                        }
                        out.decls.insert(
                            name,
                            Decl {
                                kind,
                                pos: pos(&f.name, spec),
                                lines: span(spec),
                                takes_testing: false,
                                value_type: None,
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    }
    for (name, _, ty) in pending_results {
        if out.decls.get(ty.trim_start_matches("[]")).is_some_and(|d| d.kind.is_type())
            && let Some(d) = out.decls.get_mut(&name)
        {
            d.value_type = Some(ty);
        }
    }
    out
}

fn span(n: Node) -> u32 {
    (n.end_position().row - n.start_position().row) as u32 + 1
}

fn first_result_type(r: Node, src: &[u8]) -> Option<String> {
    if r.kind() == "parameter_list" {
        let p = named_children(r).into_iter().next()?;
        return p.child_by_field_name("type").and_then(|t| local_type_name(t, src));
    }
    local_type_name(r, src)
}

fn collect_members(t: Node, src: &[u8], members: &mut HashMap<String, (Kind, Option<String>)>) {
    match t.kind() {
        "struct_type" => {
            for list in named_children(t) {
                for fd in named_children(list) {
                    if fd.kind() != "field_declaration" {
                        continue;
                    }
                    let names = field_children(fd, "name");
                    let ty = fd.child_by_field_name("type");
                    let vt = ty.and_then(|t| local_type_name(t, src));
                    if names.is_empty() {
                        // Embedded: the field is named after the type.
                        if let Some(ty) = ty {
                            let base = match ty.kind() {
                                "qualified_type" => ty.child_by_field_name("name").map(|n| text(n, src).to_string()),
                                _ => local_type_name(ty, src),
                            };
                            if let Some(b) = base {
                                members.insert(b, (Kind::Field, vt.clone()));
                            }
                        }
                    }
                    for n in names {
                        members.insert(text(n, src).to_string(), (Kind::Field, vt.clone()));
                    }
                }
            }
        }
        "interface_type" => {
            for m in named_children(t) {
                if m.kind() == "method_elem"
                    && let Some(n) = m.child_by_field_name("name")
                {
                    let result = m.child_by_field_name("result").and_then(|r| first_result_type(r, src));
                    members.insert(text(n, src).to_string(), (Kind::Method, result));
                }
            }
        }
        _ => {}
    }
}

pub(crate) fn import_specs(decl: Node) -> Vec<Node> {
    let mut out = Vec::new();
    for c in named_children(decl) {
        match c.kind() {
            "import_spec" => out.push(c),
            "import_spec_list" => out.extend(named_children(c).into_iter().filter(|s| s.kind() == "import_spec")),
            _ => {}
        }
    }
    out
}

/// The var_spec / const_spec nodes of a declaration (grouped or not).
pub(crate) fn specs(decl: Node) -> Vec<Node> {
    let mut out = Vec::new();
    for c in named_children(decl) {
        match c.kind() {
            "var_spec" | "const_spec" => out.push(c),
            "var_spec_list" | "const_spec_list" => {
                out.extend(named_children(c).into_iter().filter(|s| matches!(s.kind(), "var_spec" | "const_spec")))
            }
            _ => {}
        }
    }
    out
}

/// The anatomy of the edge from the package in `importer_dir` (its non-test
/// files `importer_files`) to `import_path`, whose declarations are `imported`.
pub fn anatomy(
    importer_dir: &Path,
    importer_files: &[String],
    import_path: &str,
    imported: &PackageDecls,
) -> Result<Anatomy, Error> {
    pool().install(|| {
        Ok(walk::anatomy_of(&parse_importer(importer_dir, importer_files, import_path)?, import_path, imported))
    })
}

/// Both sides at once: parses B's files and A's files in parallel.
pub fn explain(
    importer_dir: &Path,
    importer_files: &[String],
    import_path: &str,
    imported_dir: &Path,
    imported_files: &[String],
) -> Result<Anatomy, Error> {
    pool().install(|| {
        let (a, b) = rayon::join(
            || parse_importer(importer_dir, importer_files, import_path),
            || parse_files(imported_dir, imported_files),
        );
        let decls = decls_of(&b?);
        Ok(walk::anatomy_of(&a?, import_path, &decls))
    })
}

/// One edge to explain: the importer's directory and non-test files, and
/// the imported package's import path, directory and non-test files.
#[derive(Clone, Debug)]
pub struct EdgeFiles<'a> {
    /// The importing package's directory (A).
    pub importer_dir: &'a Path,
    /// A's non-test Go files, relative to `importer_dir`.
    pub importer_files: &'a [String],
    /// B's import path; A's files are searched for it as a string literal.
    pub import_path: &'a str,
    /// The imported package's directory (B).
    pub imported_dir: &'a Path,
    /// B's non-test Go files, relative to `imported_dir`.
    pub imported_files: &'a [String],
}

/// Many edges at once, in parallel: each package is read once however many
/// of the edges it is on. Results are in the edges' order.
pub fn explain_edges(edges: &[EdgeFiles]) -> Vec<Result<Anatomy, Error>> {
    edges_with(edges, None)
}

/// [`explain_edges`], reading of each imported package only the files that
/// mention a name its importers write qualified (`b.Name`; B's package
/// clause name per edge in `imported_names`): for telling the shape of many
/// edges at once, where B's other files — often large generated ones — do
/// not matter. A member reached through one of B's types that no importer
/// names, declared in a file no importer names, is not followed.
pub fn explain_edges_lean(edges: &[EdgeFiles], imported_names: &[&str]) -> Vec<Result<Anatomy, Error>> {
    edges_with(edges, Some(imported_names))
}

fn edges_with(edges: &[EdgeFiles], lean: Option<&[&str]>) -> Vec<Result<Anatomy, Error>> {
    pool().install(|| {
        // Each importer once, with every path asked about it.
        let mut importers: HashMap<&Path, (&[String], Vec<&str>)> = HashMap::new();
        for e in edges {
            importers.entry(e.importer_dir).or_insert((e.importer_files, Vec::new())).1.push(e.import_path);
        }
        let importers: Vec<(&Path, &[String], Vec<&str>)> =
            importers.into_iter().map(|(dir, (files, paths))| (dir, files, paths)).collect();
        let parsed: HashMap<&Path, Result<Vec<Parsed>, Error>> =
            importers.par_iter().map(|(dir, files, paths)| (*dir, parse_importer_of(dir, files, paths))).collect();
        // With `lean`, the names each imported package is used for (None:
        // all of its files, when an importer dot-imports it).
        let mut wanted: HashMap<&str, Option<HashSet<String>>> = HashMap::new();
        if let Some(names) = lean {
            for (e, &b_name) in edges.iter().zip(names) {
                let Ok(files) = &parsed[e.importer_dir] else { continue };
                let entry = wanted.entry(e.import_path).or_insert_with(|| Some(HashSet::new()));
                for f in files {
                    match (walk::qualified_names(f, e.import_path, b_name), entry.as_mut()) {
                        (Some(used), Some(all)) => all.extend(used),
                        _ => *entry = None,
                    }
                }
            }
        }
        let mut targets: Vec<(&str, &Path, &[String])> =
            edges.iter().map(|e| (e.import_path, e.imported_dir, e.imported_files)).collect();
        targets.sort_by_key(|t| t.0);
        targets.dedup_by_key(|t| t.0);
        let decls: HashMap<&str, Result<PackageDecls, Error>> = targets
            .par_iter()
            .map(|&(path, dir, files)| {
                let parsed = match wanted.get(path) {
                    Some(Some(names)) => parse_files_naming(dir, files, names),
                    _ => parse_files(dir, files),
                };
                (path, parsed.map(|p| decls_of(&p)))
            })
            .collect();
        let copy = |err: &Error| Error {
            path: err.path.clone(),
            err: std::io::Error::new(err.err.kind(), err.err.to_string()),
        };
        edges
            .par_iter()
            .map(|e| match (&parsed[e.importer_dir], &decls[e.import_path]) {
                (Ok(a), Ok(d)) => Ok(walk::anatomy_of(a, e.import_path, d)),
                (Err(err), _) | (_, Err(err)) => Err(copy(err)),
            })
            .collect()
    })
}

/// The distinct names one Go file writes qualified by its import of
/// `import_path` (`b_name`: that package's clause name), read by a lexer:
/// empty when the file does not import it or imports it blank, None when
/// it dot-imports it.
pub fn qualified_uses_in(src: &[u8], import_path: &str, b_name: &str) -> Option<BTreeSet<String>> {
    match qualified::imported_as(src, import_path, b_name) {
        qualified::Imported::Dot => None,
        qualified::Imported::Named(names) if names.is_empty() => Some(BTreeSet::new()),
        qualified::Imported::Named(names) => Some(qualified::qualified_names(src, &names)),
    }
}

/// The names each edge's importer writes qualified by B's name (`b.Name`),
/// read from the importer's files that import B only, with a lexer (no
/// parse) and without reading B: their number is the effort of the cut.
/// None for an importer that dot-imports B (its names are not qualified).
pub fn qualified_uses(edges: &[EdgeFiles], imported_names: &[&str]) -> Vec<Result<Option<BTreeSet<String>>, Error>> {
    pool().install(|| {
        edges
            .par_iter()
            .zip(imported_names)
            .map(|(e, &b_name)| {
                let mut all = BTreeSet::new();
                for f in e.importer_files {
                    let p = e.importer_dir.join(f);
                    let src = std::fs::read(&p).map_err(|err| Error { path: p, err })?;
                    match qualified_uses_in(&src, e.import_path, b_name) {
                        Some(names) => all.extend(names),
                        None => return Ok(None),
                    }
                }
                Ok(Some(all))
            })
            .collect()
    })
}

/// Whether every one of `names` is declared as a constant in the package's
/// files — or as a plain named type (`type Level int`, the constants' own
/// type), as long as one is a constant — read as gofmt'ed text (`const
/// Name`, a line of a `const (` block, `type Name T`): a quick test that
/// lets the full reading be skipped for the packages it fails on. False
/// when a name is not found.
pub fn all_constants_in_text(dir: &Path, files: &[String], names: &BTreeSet<String>) -> Result<bool, Error> {
    let mut found: HashSet<&str> = HashSet::new();
    let mut types: HashSet<&str> = HashSet::new();
    for f in files {
        let p = dir.join(f);
        let src = std::fs::read(&p).map_err(|err| Error { path: p, err })?;
        let text = String::from_utf8_lossy(&src);
        let mut in_const = false;
        for line in text.lines() {
            if in_const {
                if line.starts_with(')') {
                    in_const = false;
                } else if let Some(rest) = line.strip_prefix('\t') {
                    // `Name`, `Name = …`, `Name Type = …`, `A, B = …`.
                    let head = rest.split(['=', '/']).next().unwrap_or("");
                    for w in head.split([',', ' ']).filter(|w| !w.is_empty()) {
                        if let Some(n) = names.get(w) {
                            found.insert(n);
                        }
                    }
                }
            } else if line == "const (" {
                in_const = true;
            } else if let Some(rest) = line.strip_prefix("type ") {
                let mut words = rest.split_whitespace();
                if let (Some(name), Some(ty)) = (words.next(), words.next())
                    && !matches!(ty, "struct" | "interface" | "struct{" | "interface{" | "=")
                    && let Some(n) = names.get(name)
                {
                    types.insert(n);
                }
            } else if let Some(rest) = line.strip_prefix("const ") {
                let head = rest.split(['=', '/']).next().unwrap_or("");
                for w in head.split([',', ' ']).filter(|w| !w.is_empty()) {
                    if let Some(n) = names.get(w) {
                        found.insert(n);
                    }
                }
            }
        }
    }
    Ok(!found.is_empty() && found.len() + types.iter().filter(|t| !found.contains(*t)).count() == names.len())
}

/// The files of a package that contain one of `names` as a word, parsed
/// (and the smallest file, for the package clause, in any case).
fn parse_files_naming(dir: &Path, files: &[String], names: &HashSet<String>) -> Result<Vec<Parsed>, Error> {
    let srcs = read_sources(dir, files)?;
    let names_any = |src: &[u8]| {
        String::from_utf8_lossy(src).split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| names.contains(w))
    };
    let smallest = srcs.iter().enumerate().min_by_key(|(_, (_, src))| src.len()).map_or(0, |(i, _)| i);
    Ok(srcs
        .into_par_iter()
        .enumerate()
        .filter(|(i, (_, src))| *i == smallest || names_any(src))
        .map(|(_, (f, src))| parse_src(f, src))
        .collect())
}

/// The import paths a package-level function of a package reaches: those
/// its body names (`pkg.X`), and those of the package's own functions it
/// calls, transitively. `package_names` gives the package clause of each
/// import path (an import without an alias is named by it; the last path
/// element otherwise). None when the package has no such function.
pub fn function_imports(
    dir: &Path,
    files: &[String],
    name: &str,
    package_names: &HashMap<String, String>,
) -> Result<Option<BTreeSet<String>>, Error> {
    pool().install(|| {
        let parsed = parse_files(dir, files)?;
        // Each top-level function: its file and body.
        let mut functions: HashMap<String, (usize, Node)> = HashMap::new();
        for (i, f) in parsed.iter().enumerate() {
            for n in named_children(f.tree.root_node()) {
                if n.kind() == "function_declaration"
                    && let (Some(id), Some(body)) = (n.child_by_field_name("name"), n.child_by_field_name("body"))
                {
                    functions.insert(text(id, &f.src).to_string(), (i, body));
                }
            }
        }
        if !functions.contains_key(name) {
            return Ok(None);
        }
        // Per file: import name → path.
        let imports: Vec<HashMap<String, String>> = parsed
            .iter()
            .map(|f| {
                let mut m = HashMap::new();
                for n in named_children(f.tree.root_node()).into_iter().filter(|n| n.kind() == "import_declaration") {
                    for spec in import_specs(n) {
                        let Some(p) = spec.child_by_field_name("path") else { continue };
                        let path = import_path(p, &f.src);
                        let local = match spec.child_by_field_name("name") {
                            Some(alias) => text(alias, &f.src).to_string(),
                            None => package_names
                                .get(&path)
                                .cloned()
                                .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(&path).to_string()),
                        };
                        m.insert(local, path);
                    }
                }
                m
            })
            .collect();
        let mut reached = BTreeSet::new();
        let mut seen = HashSet::from([name.to_string()]);
        let mut queue = vec![name.to_string()];
        while let Some(fun) = queue.pop() {
            let (file, body) = functions[&fun];
            let src = &parsed[file].src;
            let mut stack = vec![body];
            while let Some(n) = stack.pop() {
                match n.kind() {
                    "selector_expression" | "qualified_type" => {
                        let q = n.child_by_field_name("operand").or_else(|| n.child_by_field_name("package"));
                        if let Some(path) = q.and_then(|q| imports[file].get(text(q, src))) {
                            reached.insert(path.clone());
                        }
                    }
                    "identifier" => {
                        let id = text(n, src);
                        if functions.contains_key(id) && seen.insert(id.to_string()) {
                            queue.push(id.to_string());
                        }
                    }
                    _ => {}
                }
                let mut cursor = n.walk();
                stack.extend(n.named_children(&mut cursor));
            }
        }
        Ok(Some(reached))
    })
}

/// The one top-level function of a package (A) that uses an import: the
/// name of the exported, non-method function whose body holds every
/// qualified use of `import_path` (`b.Name`, `b_name`: B's package clause)
/// in A's files, when A's own code names that function nowhere else — so
/// that moving it out of A (to the package that calls it) takes the import
/// with it and leaves A whole. None when B is used elsewhere (in a method,
/// a type, a package-level variable, another function), dot-imported, or
/// when the function is unexported or called within A.
pub fn sole_function_using(
    dir: &Path,
    files: &[String],
    import_path: &str,
    b_name: &str,
) -> Result<Option<String>, Error> {
    pool().install(|| {
        // Only the files that import B are parsed; the others are searched
        // for the function's name as a word.
        let srcs = read_sources(dir, files)?;
        let needles = quoted(&[import_path]);
        let mentions = |src: &[u8]| mentions_any(src, &needles);
        let (hit, rest): (Vec<_>, Vec<_>) = srcs.into_iter().partition(|(_, src)| mentions(src));
        let parsed: Vec<Parsed> = hit.into_par_iter().map(|(f, src)| parse_src(f, src)).collect();
        let mut user: Option<(usize, Node)> = None;
        for (i, f) in parsed.iter().enumerate() {
            let Some(qualifiers) = walk::import_names(f, import_path, b_name) else { return Ok(None) };
            if qualifiers.is_empty() {
                continue;
            }
            for decl in named_children(f.tree.root_node()) {
                if decl.kind() == "import_declaration" || !walk::names_qualified(decl, &f.src, &qualifiers) {
                    continue;
                }
                let same = |(j, n): (usize, Node)| j == i && n.id() == decl.id();
                match user {
                    Some(u) if same(u) => {}
                    Some(_) => return Ok(None),
                    None if decl.kind() == "function_declaration" => user = Some((i, decl)),
                    None => return Ok(None),
                }
            }
        }
        let Some((i, decl)) = user else { return Ok(None) };
        let Some(id) = decl.child_by_field_name("name") else { return Ok(None) };
        let name = text(id, &parsed[i].src).to_string();
        if !name.starts_with(|c: char| c.is_uppercase()) {
            return Ok(None);
        }
        // Named anywhere else in A (a call, a function value): it cannot move alone.
        let word = |src: &[u8]| {
            String::from_utf8_lossy(src).split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == name)
        };
        if rest.iter().any(|(_, src)| word(src)) {
            return Ok(None);
        }
        for (j, f) in parsed.iter().enumerate() {
            let mut stack = vec![f.tree.root_node()];
            while let Some(n) = stack.pop() {
                if j == i && n.id() == decl.id() {
                    continue;
                }
                if n.kind() == "identifier" && text(n, &f.src) == name {
                    return Ok(None);
                }
                let mut cursor = n.walk();
                stack.extend(n.named_children(&mut cursor));
            }
        }
        Ok(Some(name))
    })
}
