//! Eager initialization: the work a package does while it initializes —
//! package-level variables initialized by calls or by large composite
//! literals, and `func init()` bodies.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use tree_sitter::Node;

use crate::{Error, Parsed, Pos, field_children, named_children, pool, pos, specs, text};

/// A composite literal with at least this many elements (map entries,
/// slice or array elements, at its top level) is built by init code.
pub const LARGE_LITERAL_ELEMENTS: usize = 100;

/// Calls that cost next to nothing at init (or must stay eager, like
/// sentinel errors, whose identity matters): not reported. Builtins and
/// conversions to predeclared types are among them.
pub const CHEAP_CALLS: &[&str] = &[
    "errors.New",
    "fmt.Errorf",
    "new",
    "make",
    "len",
    "cap",
    "complex",
    "real",
    "imag",
    "min",
    "max",
    "string",
    "bool",
    "byte",
    "rune",
    "int",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "uintptr",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "any",
    "reflect.TypeOf",
    "reflect.TypeFor",
    "unsafe.Sizeof",
    "unsafe.Pointer",
    "time.Duration",
    "os.Getenv",
    "runtime.GOMAXPROCS",
    "runtime.NumCPU",
    "os.LookupEnv",
    "context.Background",
    "context.TODO",
    "sync.OnceFunc",
    "sync.OnceValue",
    "sync.OnceValues",
];

/// Result types of well-known constructors, by package and function; `{}`
/// stands for the name the package is imported under.
const KNOWN_RESULTS: &[(&str, &str, &str)] = &[
    ("regexp", "MustCompile", "*{}.Regexp"),
    ("regexp", "MustCompilePOSIX", "*{}.Regexp"),
    ("template", "Must", "*{}.Template"),
    ("template", "New", "*{}.Template"),
    ("strings", "NewReplacer", "*{}.Replacer"),
    ("big", "NewInt", "*{}.Int"),
];

/// Deeper than this, an initializer's syntax tree is not searched.
const MAX_DEPTH: usize = 400;

/// What makes an initializer eager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EagerKind {
    /// `var x = f(...)`: a call runs at init.
    Call,
    /// `var x = map[K]V{...}` with at least [`LARGE_LITERAL_ELEMENTS`] elements.
    LargeLiteral,
    /// A `func init()` body.
    InitFunc,
}

impl EagerKind {
    /// The name reports print: `call`, `large-literal`, `init-func` (JSON
    /// spells them in snake_case).
    pub fn as_str(self) -> &'static str {
        match self {
            EagerKind::Call => "call",
            EagerKind::LargeLiteral => "large-literal",
            EagerKind::InitFunc => "init-func",
        }
    }
}

/// One eager initializer of a package.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EagerInit {
    /// The `var` spec (its first name) or the `func init`.
    pub pos: Pos,
    /// What makes it eager.
    pub kind: EagerKind,
    /// The variables initialized (empty for `init`).
    pub names: Vec<String>,
    /// The call that runs (the outermost one that is not cheap), as written:
    /// `regexp.MustCompile`, `template.Must`, `buildTable`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callee: Option<String>,
    /// For `init`: the distinct calls its body makes, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    /// For large literals: the number of elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elements: Option<usize>,
    /// The variable's type, declared or evident from the syntax.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_type: Option<String>,
    /// The first call of the initializer as written, its arguments
    /// shortened: `f()`, `f(...)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    /// In a generated file (`// Code generated … DO NOT EDIT.` before the
    /// package clause, Go's convention).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub generated: bool,
    /// One of the variables' names appears elsewhere in the package's files
    /// as a word of their text (comments and strings count too, so a
    /// referenced variable is never taken for an unreferenced one); always
    /// true for `func init()`.
    pub referenced: bool,
}

/// The eager initializers of one package (its non-test files), in file order.
pub fn eager_inits(dir: &Path, files: &[String]) -> Result<Vec<EagerInit>, Error> {
    pool().install(|| package_eager(dir, files))
}

/// Many packages at once, in parallel; results in the packages' order.
pub fn eager_inits_of_packages(packages: &[(&Path, &[String])]) -> Vec<Result<Vec<EagerInit>, Error>> {
    pool().install(|| packages.par_iter().map(|&(dir, files)| package_eager(dir, files)).collect())
}

/// Reads a package's files and parses only those that can declare an
/// eager initializer (a line starting with `var` or `func init(`); the
/// others are only scanned for the names of the types they declare.
fn package_eager(dir: &Path, files: &[String]) -> Result<Vec<EagerInit>, Error> {
    let srcs = crate::read_sources(dir, files)?;
    let mut words: HashMap<String, usize> = HashMap::new();
    for (_, src) in &srcs {
        count_words(src, &mut words);
    }
    let (hit, rest): (Vec<_>, Vec<_>) = srcs.into_iter().partition(|(_, src)| may_init(src));
    let generated: HashSet<String> =
        hit.iter().filter(|(_, src)| is_generated(src)).map(|(f, _)| f.to_string()).collect();
    let mut results = HashMap::new();
    for (_, src) in &hit {
        results_in_text(src, &mut results);
    }
    let parsed: Vec<Parsed> = hit.into_par_iter().map(|(f, src)| parse_declarations(f, src)).collect();
    let mut locals = locals_of(&parsed);
    for (name, ty) in results {
        locals.results.entry(name).or_insert(ty);
    }
    for (_, src) in &rest {
        type_names_in_text(src, &mut locals.types);
        results_in_text(src, &mut locals.results);
    }
    let mut inits = eager_with(&parsed, &locals);
    for i in &mut inits {
        i.generated = generated.contains(&i.pos.file);
        i.referenced = i.kind == EagerKind::InitFunc || i.names.iter().any(|n| words.get(n).is_some_and(|&c| c > 1));
    }
    Ok(inits)
}

/// Parses only what can hold an eager initializer or a type it names: the
/// package clause, the package-level `var` and `type` declarations and the
/// `func init` bodies of a gofmt'ed file (each runs from its keyword at the
/// start of a line to the next line that starts with a letter or a
/// comment). Function bodies, most of a file, are skipped; positions stay
/// those of the file.
fn parse_declarations(file: &str, src: Vec<u8>) -> Parsed {
    let mut ranges: Vec<tree_sitter::Range> = Vec::new();
    let mut open: Option<(usize, usize)> = None; // (byte, row) where the kept block starts
    let mut offset = 0;
    let close = |open: &mut Option<(usize, usize)>, ranges: &mut Vec<tree_sitter::Range>, end: usize, row: usize| {
        if let Some((start, start_row)) = open.take() {
            ranges.push(tree_sitter::Range {
                start_byte: start,
                end_byte: end,
                start_point: tree_sitter::Point { row: start_row, column: 0 },
                end_point: tree_sitter::Point { row, column: 0 },
            });
        }
    };
    for (row, line) in src.split_inclusive(|&b| b == b'\n').enumerate() {
        if line.first().is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/') {
            close(&mut open, &mut ranges, offset, row);
            let kept = [&b"package "[..], b"var ", b"var(", b"type ", b"func init("];
            if kept.iter().any(|k| line.starts_with(k)) {
                open = Some((offset, row));
            }
        }
        offset += line.len();
    }
    let rows = src.iter().filter(|&&b| b == b'\n').count();
    close(&mut open, &mut ranges, src.len(), rows + 1);
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_go::LANGUAGE.into()).expect("tree-sitter-go matches the tree-sitter ABI");
    if ranges.is_empty() || parser.set_included_ranges(&ranges).is_err() {
        return crate::parse_src(file, src);
    }
    let tree = parser.parse(&src, None).expect("parsing without a timeout or cancellation returns a tree");
    Parsed { name: file.to_string(), src, tree }
}

/// Go's convention for generated files (go/ast.IsGenerated): a line
/// `// Code generated … DO NOT EDIT.` before the package clause.
fn is_generated(src: &[u8]) -> bool {
    for line in String::from_utf8_lossy(src).lines() {
        let line = line.trim_end();
        if line.starts_with("package ") {
            return false;
        }
        if line.starts_with("// Code generated ") && line.ends_with(" DO NOT EDIT.") {
            return true;
        }
    }
    false
}

/// Counts the identifier-like words of a file's text.
fn count_words(src: &[u8], words: &mut HashMap<String, usize>) {
    let text = String::from_utf8_lossy(src);
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|w| !w.is_empty()) {
        *words.entry(w.to_string()).or_default() += 1;
    }
}

/// A package-level `var` or `func init(` at the start of a line (gofmt'ed
/// code, which is nearly all code; the package clause always comes first).
fn may_init(src: &[u8]) -> bool {
    crate::contains(src, b"\nvar ") || crate::contains(src, b"\nvar(") || crate::contains(src, b"\nfunc init(")
}

/// The single result types of the functions a gofmt'ed file declares on
/// one line (`func f(x int) *T {`), read from its text.
fn results_in_text(src: &[u8], out: &mut HashMap<String, String>) {
    for line in String::from_utf8_lossy(src).lines() {
        let Some(rest) = line.strip_prefix("func ").filter(|r| !r.starts_with('(')) else { continue };
        let Some(open) = rest.find(['(', '[']) else { continue };
        let name = &rest[..open];
        // The end of the type parameters and parameters, by bracket depth.
        let mut depth = 0i32;
        let mut end = None;
        for (i, c) in rest.char_indices().skip(open) {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => {
                    depth -= 1;
                    if depth == 0 && c == ')' {
                        end = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else { continue };
        let after = &rest[end + 1..];
        let result = after.split(" {").next().unwrap_or(after).trim();
        if !result.is_empty() && !result.starts_with('(') && !name.is_empty() {
            out.entry(name.to_string()).or_insert_with(|| result.to_string());
        }
    }
}

/// The type names a gofmt'ed file declares (`type T ...` and the specs of
/// `type ( ... )` groups), read from its text.
fn type_names_in_text(src: &[u8], out: &mut HashSet<String>) {
    let ident = |s: &str| -> Option<String> {
        let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
        (end > 0).then(|| s[..end].to_string())
    };
    let mut group = false;
    for line in String::from_utf8_lossy(src).lines() {
        if group {
            if line.starts_with(')') {
                group = false;
            } else if let Some(rest) = line.strip_prefix('\t').filter(|r| !r.starts_with(['\t', '/', ' '])) {
                out.extend(ident(rest));
            }
        } else if let Some(rest) = line.strip_prefix("type ") {
            if rest.starts_with('(') {
                group = true;
            } else {
                out.extend(ident(rest));
            }
        }
    }
}

/// The package's local type names and its functions' single result types.
struct Locals {
    types: HashSet<String>,
    results: HashMap<String, String>,
}

fn locals_of(parsed: &[Parsed]) -> Locals {
    let mut l = Locals { types: HashSet::new(), results: HashMap::new() };
    for f in parsed {
        let src = &f.src[..];
        for n in named_children(f.tree.root_node()) {
            match n.kind() {
                "type_declaration" => {
                    for spec in named_children(n) {
                        if let Some(name) = spec.child_by_field_name("name") {
                            l.types.insert(text(name, src).to_string());
                        }
                    }
                }
                "function_declaration" => {
                    let (Some(name), Some(r)) = (n.child_by_field_name("name"), n.child_by_field_name("result")) else {
                        continue;
                    };
                    let ty = if r.kind() == "parameter_list" {
                        match &named_children(r)[..] {
                            [p] if p.child_by_field_name("name").is_none() => {
                                p.child_by_field_name("type").map(|t| text(t, src).to_string())
                            }
                            _ => None,
                        }
                    } else {
                        Some(text(r, src).to_string())
                    };
                    if let Some(ty) = ty {
                        l.results.insert(text(name, src).to_string(), ty);
                    }
                }
                _ => {}
            }
        }
    }
    l
}

fn eager_with(parsed: &[Parsed], locals: &Locals) -> Vec<EagerInit> {
    let mut out = Vec::new();
    for f in parsed {
        let src = &f.src[..];
        for n in named_children(f.tree.root_node()) {
            match n.kind() {
                "var_declaration" => {
                    for spec in specs(n) {
                        if let Some(e) = var_init(f, spec, locals) {
                            out.push(e);
                        }
                    }
                }
                "function_declaration" => {
                    let is_init = n.child_by_field_name("name").is_some_and(|x| text(x, src) == "init")
                        && n.child_by_field_name("type_parameters").is_none();
                    let Some(body) = n.child_by_field_name("body").filter(|_| is_init) else { continue };
                    let mut calls = Vec::new();
                    collect_calls(body, src, locals, &mut calls, 0);
                    let mut seen = HashSet::new();
                    let calls: Vec<String> = calls.into_iter().filter(|c| seen.insert(c.clone())).collect();
                    out.push(EagerInit {
                        pos: pos(&f.name, n),
                        kind: EagerKind::InitFunc,
                        names: Vec::new(),
                        callee: None,
                        call: None,
                        calls,
                        elements: None,
                        value_type: None,
                        generated: false,
                        referenced: true,
                    });
                }
                _ => {}
            }
        }
    }
    out
}

fn var_init(f: &Parsed, spec: Node, locals: &Locals) -> Option<EagerInit> {
    let src = &f.src[..];
    let values = spec.child_by_field_name("value")?;
    let names: Vec<String> = field_children(spec, "name").into_iter().map(|n| text(n, src).to_string()).collect();
    let declared = spec.child_by_field_name("type").map(|t| text(t, src).to_string());
    let exprs = if values.kind() == "expression_list" { named_children(values) } else { vec![values] };
    // The first call as written with its arguments shortened: `f()`, `f(...)`.
    let mut call = None;
    for &e in &exprs {
        let mut calls = Vec::new();
        collect_calls_with_args(e, src, locals, &mut calls, 0);
        if let Some(c) = calls.into_iter().next() {
            call = Some(c);
            break;
        }
    }
    let callee =
        call.as_ref().map(|c| c.strip_suffix("(...)").or_else(|| c.strip_suffix("()")).unwrap_or(c).to_string());
    let large = exprs.iter().find_map(|&e| large_literal(e, src));
    let (kind, elements) = match (&callee, large) {
        (Some(_), _) => (EagerKind::Call, None),
        (None, Some((n, _))) => (EagerKind::LargeLiteral, Some(n)),
        (None, None) => return None,
    };
    // The type of the (single) value: declared, the literal's, or a known
    // or local constructor's result.
    let value_type = declared.or_else(|| {
        let [e] = exprs[..] else { return None };
        if let Some((_, ty)) = large_literal(e, src).or_else(|| literal_type(e, src).map(|t| (0, t))) {
            return Some(ty);
        }
        let call = outer_call(e)?;
        let fun = call.child_by_field_name("function")?;
        match fun.kind() {
            "identifier" => locals.results.get(text(fun, src)).cloned(),
            "selector_expression" => {
                let q = fun.child_by_field_name("operand").filter(|o| o.kind() == "identifier")?;
                let (q, name) = (text(q, src), text(fun.child_by_field_name("field")?, src));
                KNOWN_RESULTS.iter().find(|k| k.0 == q && k.1 == name).map(|k| k.2.replace("{}", q))
            }
            _ => None,
        }
    });
    Some(EagerInit {
        pos: pos(&f.name, spec),
        kind,
        names,
        callee,
        call,
        calls: Vec::new(),
        elements,
        value_type,
        generated: false,
        referenced: true,
    })
}

/// The call an expression is (through `&`, parentheses).
fn outer_call(e: Node) -> Option<Node> {
    match e.kind() {
        "call_expression" => Some(e),
        "parenthesized_expression" | "unary_expression" => {
            e.child_by_field_name("operand").or_else(|| e.named_child(0)).and_then(outer_call)
        }
        _ => None,
    }
}

/// The type of a composite literal expression (`T{}` or `&T{}`).
fn literal_type(e: Node, src: &[u8]) -> Option<String> {
    match e.kind() {
        "composite_literal" => e.child_by_field_name("type").map(|t| text(t, src).to_string()),
        "unary_expression" if e.child(0).is_some_and(|op| op.kind() == "&") => {
            e.child_by_field_name("operand").and_then(|o| literal_type(o, src)).map(|t| format!("*{t}"))
        }
        "parenthesized_expression" => e.named_child(0).and_then(|c| literal_type(c, src)),
        _ => None,
    }
}

/// (elements, type) of a composite literal with at least
/// [`LARGE_LITERAL_ELEMENTS`] elements at its top level.
fn large_literal(e: Node, src: &[u8]) -> Option<(usize, String)> {
    let lit = match e.kind() {
        "composite_literal" => e,
        "unary_expression" | "parenthesized_expression" => {
            return e.child_by_field_name("operand").or_else(|| e.named_child(0)).and_then(|o| {
                let (n, t) = large_literal(o, src)?;
                Some((n, if e.kind() == "unary_expression" { format!("*{t}") } else { t }))
            });
        }
        _ => return None,
    };
    let body = lit.child_by_field_name("body")?;
    let n = named_children(body).iter().filter(|c| matches!(c.kind(), "literal_element" | "keyed_element")).count();
    let ty = lit.child_by_field_name("type").map(|t| text(t, src).to_string())?;
    (n >= LARGE_LITERAL_ELEMENTS).then_some((n, ty))
}

/// The name of a call's function as written, shortened: `f`, `pkg.F`,
/// `x.Method`, `(...).Method`.
fn callee_name(fun: Node, src: &[u8]) -> String {
    match fun.kind() {
        "identifier" => text(fun, src).to_string(),
        "selector_expression" => {
            let field = fun.child_by_field_name("field").map(|f| text(f, src)).unwrap_or("");
            match fun.child_by_field_name("operand") {
                Some(o) if o.kind() == "identifier" => format!("{}.{field}", text(o, src)),
                _ => format!("(...).{field}"),
            }
        }
        "generic_type" | "index_expression" => fun
            .child_by_field_name("type")
            .or_else(|| fun.child_by_field_name("operand"))
            .map(|t| callee_name(t, src))
            .unwrap_or_else(|| "(...)".into()),
        "parenthesized_expression" => fun.named_child(0).map(|c| callee_name(c, src)).unwrap_or_default(),
        _ => "(...)".into(),
    }
}

fn is_cheap(name: &str, fun: Node, locals: &Locals) -> bool {
    // `(*T)(nil)`: a conversion to a pointer type.
    let pointer_conversion = fun.kind() == "parenthesized_expression"
        && fun
            .named_child(0)
            .is_some_and(|c| c.kind() == "unary_expression" && c.child(0).is_some_and(|op| op.kind() == "*"));
    CHEAP_CALLS.contains(&name)
        || pointer_conversion
        || (fun.kind() == "identifier" && locals.types.contains(name))
        || matches!(
            fun.kind(),
            "parenthesized_type"
                | "pointer_type"
                | "slice_type"
                | "array_type"
                | "map_type"
                | "func_type"
                | "interface_type"
                | "channel_type"
        )
}

/// The calls that run when `n` is evaluated (not those inside function
/// literals), outermost first, cheap ones left out.
fn collect_calls(n: Node, src: &[u8], locals: &Locals, out: &mut Vec<String>, depth: usize) {
    collect_calls_with_args(n, src, locals, out, depth);
    for c in out.iter_mut() {
        if let Some(name) = c.strip_suffix("(...)").or_else(|| c.strip_suffix("()")) {
            *c = name.to_string();
        }
    }
}

/// Like [`collect_calls`], each with `()` or `(...)` (no arguments, or some).
fn collect_calls_with_args(n: Node, src: &[u8], locals: &Locals, out: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH || n.kind() == "func_literal" {
        return;
    }
    if n.kind() == "call_expression"
        && let Some(fun) = n.child_by_field_name("function")
    {
        let name = callee_name(fun, src);
        if !is_cheap(&name, fun, locals) {
            let no_args = n.child_by_field_name("arguments").is_some_and(|a| a.named_child_count() == 0);
            out.push(if no_args { format!("{name}()") } else { format!("{name}(...)") });
        }
    }
    for c in named_children(n) {
        collect_calls_with_args(c, src, locals, out, depth + 1);
    }
}
