//! Resolution of an importer's uses of one imported package, by scope.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use tree_sitter::Node;

use crate::{
    Anatomy, Counts, Ident, ImportForm, Kind, PackageDecls, Parsed, Pos, elem, elems, field_children, import_path,
    import_specs, named_children, pos, specs, text,
};

/// Deeper than this, a file's syntax tree is not followed (pathological
/// generated expressions; the stack stays small on rayon's threads).
const MAX_DEPTH: usize = 1500;

/// What one file of the importer says about B: the names it imports B under.
struct FileImports {
    names: Vec<String>,
    dot: bool,
    blank: bool,
    errors_names: Vec<String>,
}

fn file_imports(f: &Parsed, path: &str, b_name: &str) -> FileImports {
    let src = &f.src[..];
    let mut fi = FileImports { names: Vec::new(), dot: false, blank: false, errors_names: Vec::new() };
    for n in named_children(f.tree.root_node()) {
        if n.kind() != "import_declaration" {
            continue;
        }
        for spec in import_specs(n) {
            let Some(p) = spec.child_by_field_name("path") else { continue };
            let p = import_path(p, src);
            let name = spec.child_by_field_name("name");
            if p == "errors" {
                fi.errors_names.push(name.map(|n| text(n, src).to_string()).unwrap_or_else(|| "errors".into()));
            }
            if p != path {
                continue;
            }
            match name.map(|n| (n.kind(), text(n, src))) {
                Some(("dot", _)) | Some((_, ".")) => fi.dot = true,
                Some(("blank_identifier", _)) | Some((_, "_")) => fi.blank = true,
                Some((_, alias)) => fi.names.push(alias.to_string()),
                None => fi.names.push(b_name.to_string()),
            }
        }
    }
    fi
}

/// The names a file writes qualified by the name it imports `path` under
/// (`b.Name` in expressions and types); None when it dot-imports `path`
/// (its names are then unqualified). `b_name` is B's package clause.
/// Names that shadow the import are not told apart (rare in real code).
pub(crate) fn qualified_names(f: &Parsed, path: &str, b_name: &str) -> Option<HashSet<String>> {
    let fi = file_imports(f, path, b_name);
    if fi.dot {
        return None;
    }
    let src = &f.src[..];
    let mut out = HashSet::new();
    if fi.names.is_empty() {
        return Some(out);
    }
    let mut stack = vec![f.tree.root_node()];
    while let Some(n) = stack.pop() {
        let (qualifier, name) = match n.kind() {
            "selector_expression" => (n.child_by_field_name("operand"), n.child_by_field_name("field")),
            "qualified_type" => (n.child_by_field_name("package"), n.child_by_field_name("name")),
            _ => (None, None),
        };
        if let (Some(q), Some(name)) = (qualifier, name)
            && matches!(q.kind(), "identifier" | "package_identifier")
            && fi.names.iter().any(|x| x == text(q, src))
        {
            out.insert(text(name, src).to_string());
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    Some(out)
}

/// The names a file imports `path` under (none when it does not import it,
/// or only blank); None when it dot-imports it.
pub(crate) fn import_names(f: &Parsed, path: &str, b_name: &str) -> Option<Vec<String>> {
    let fi = file_imports(f, path, b_name);
    if fi.dot { None } else { Some(fi.names) }
}

/// Whether the syntax under `n` writes a name qualified by one of `qualifiers`.
pub(crate) fn names_qualified(n: Node, src: &[u8], qualifiers: &[String]) -> bool {
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        let q = match n.kind() {
            "selector_expression" => n.child_by_field_name("operand"),
            "qualified_type" => n.child_by_field_name("package"),
            _ => None,
        };
        if q.is_some_and(|q| {
            matches!(q.kind(), "identifier" | "package_identifier") && qualifiers.iter().any(|x| x == text(q, src))
        }) {
            return true;
        }
        let mut cursor = n.walk();
        stack.extend(n.named_children(&mut cursor));
    }
    false
}

/// True if the file imports `path` with `import . "path"`.
pub(crate) fn dot_imports(f: &Parsed, path: &str) -> bool {
    file_imports(f, path, "").dot
}

/// The importer's package-level names, and the fields of its struct types
/// whose type is one of B's (field name → type name).
fn globals_of(
    f: &Parsed,
    fi: &FileImports,
    b: &PackageDecls,
) -> (HashMap<String, Option<String>>, HashMap<String, String>) {
    let src = &f.src[..];
    let mut globals = HashMap::new();
    let mut fields = HashMap::new();
    let outer = |t: Node| b_type_of_type_static(t, src, fi, b);
    for n in named_children(f.tree.root_node()) {
        match n.kind() {
            // A function's identifier stands for its first result's type
            // (what a call to it gives); A's methods are followed by name
            // like fields.
            "function_declaration" | "method_declaration" => {
                let result = n.child_by_field_name("result").and_then(|r| {
                    if r.kind() == "parameter_list" {
                        named_children(r).into_iter().next().and_then(|p| p.child_by_field_name("type")).and_then(outer)
                    } else {
                        outer(r)
                    }
                });
                if let Some(name) = n.child_by_field_name("name") {
                    let name = text(name, src).to_string();
                    if n.kind() == "function_declaration" {
                        globals.insert(name, result);
                    } else if let Some(r) = result {
                        fields.insert(name, r);
                    }
                }
            }
            "var_declaration" | "const_declaration" => {
                for spec in specs(n) {
                    let ty = spec.child_by_field_name("type").and_then(outer);
                    let values: Vec<Node> = spec.child_by_field_name("value").map(named_children).unwrap_or_default();
                    let names: Vec<Node> =
                        field_children(spec, "name").into_iter().filter(|x| x.kind() == "identifier").collect();
                    for (i, name) in names.into_iter().enumerate() {
                        let t = ty.clone().or_else(|| values.get(i).and_then(|v| static_value_type(*v, src, fi, b)));
                        globals.insert(text(name, src).to_string(), t);
                    }
                }
            }
            "type_declaration" => {
                for spec in named_children(n) {
                    if let Some(name) = spec.child_by_field_name("name") {
                        globals.insert(text(name, src).to_string(), None);
                    }
                    if let Some(t) = spec.child_by_field_name("type")
                        && t.kind() == "struct_type"
                    {
                        for list in named_children(t) {
                            for fd in named_children(list) {
                                if fd.kind() != "field_declaration" {
                                    continue;
                                }
                                let Some(ft) = fd.child_by_field_name("type") else { continue };
                                let Some(bt) = outer(ft) else { continue };
                                let names = field_children(fd, "name");
                                if names.is_empty() {
                                    fields.insert(bt.clone(), bt.clone());
                                }
                                for nm in names {
                                    fields.insert(text(nm, src).to_string(), bt.clone());
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (globals, fields)
}

/// B's type of a package-level initializer, when the syntax shows it.
fn static_value_type(e: Node, src: &[u8], fi: &FileImports, b: &PackageDecls) -> Option<String> {
    match e.kind() {
        "composite_literal" => e.child_by_field_name("type").and_then(|t| b_type_of_type_static(t, src, fi, b)),
        "unary_expression" | "parenthesized_expression" => {
            e.child_by_field_name("operand").or_else(|| e.named_child(0)).and_then(|c| static_value_type(c, src, fi, b))
        }
        "call_expression" => {
            let f = e.child_by_field_name("function")?;
            let op = f.child_by_field_name("operand").filter(|_| f.kind() == "selector_expression")?;
            if !fi.names.iter().any(|n| n == text(op, src)) {
                return None;
            }
            let name = text(f.child_by_field_name("field")?, src);
            let d = b.decls.get(name)?;
            if d.kind.is_type() { Some(name.to_string()) } else { d.value_type.clone() }
        }
        _ => None,
    }
}

/// B's type a type expression names, ignoring local shadowing (package level).
fn b_type_of_type_static(t: Node, src: &[u8], fi: &FileImports, b: &PackageDecls) -> Option<String> {
    match t.kind() {
        "pointer_type" | "parenthesized_type" => t.named_child(0).and_then(|c| b_type_of_type_static(c, src, fi, b)),
        "generic_type" => t.child_by_field_name("type").and_then(|c| b_type_of_type_static(c, src, fi, b)),
        "slice_type" | "array_type" => {
            t.child_by_field_name("element").and_then(|c| b_type_of_type_static(c, src, fi, b)).map(elems)
        }
        "map_type" => t.child_by_field_name("value").and_then(|c| b_type_of_type_static(c, src, fi, b)).map(elems),
        "qualified_type" => {
            let p = text(t.child_by_field_name("package")?, src);
            let n = text(t.child_by_field_name("name")?, src);
            (fi.names.iter().any(|x| x == p) && b.decls.get(n).is_some_and(|d| d.kind.is_type())).then(|| n.to_string())
        }
        "type_identifier" if fi.dot => {
            let n = text(t, src);
            b.decls.get(n).is_some_and(|d| d.kind.is_type()).then(|| n.to_string())
        }
        _ => None,
    }
}

struct Use {
    name: String,
    kind: Kind,
    pos: Pos,
}

struct Walker<'a> {
    file: &'a str,
    src: &'a [u8],
    b: &'a PackageDecls,
    fi: &'a FileImports,
    globals: &'a HashMap<String, Option<String>>,
    fields: &'a HashMap<String, String>,
    scopes: Vec<HashMap<String, Option<String>>>,
    uses: Vec<Use>,
    /// Names (`T` or `T.M`) used as errors.As / errors.Is targets.
    targets: HashSet<String>,
    depth: usize,
}

impl<'a> Walker<'a> {
    fn t(&self, n: Node) -> &'a str {
        text(n, self.src)
    }

    fn local(&self, name: &str) -> Option<&Option<String>> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// `name` denotes B here.
    fn is_pkg(&self, name: &str) -> bool {
        self.fi.names.iter().any(|n| n == name) && self.local(name).is_none()
    }

    /// `name`, unqualified, denotes a declaration of B through a dot import.
    fn is_dot(&self, name: &str) -> bool {
        self.fi.dot && self.b.decls.contains_key(name) && self.local(name).is_none() && !self.globals.contains_key(name)
    }

    /// Whether a type conversion is in fact a call of errors.AsType.
    fn errors_as_type(&self, n: Node) -> bool {
        let Some(t) = n.child_by_field_name("type").filter(|t| t.kind() == "generic_type") else { return false };
        let Some(q) = t.child_by_field_name("type").filter(|q| q.kind() == "qualified_type") else { return false };
        let (Some(p), Some(name)) = (q.child_by_field_name("package"), q.child_by_field_name("name")) else {
            return false;
        };
        let p = self.t(p);
        self.t(name) == "AsType" && self.fi.errors_names.iter().any(|e| e == p) && self.local(p).is_none()
    }

    fn record(&mut self, name: &str, n: Node) {
        let kind = self.b.decls.get(name).map(|d| d.kind).unwrap_or(Kind::Unknown);
        self.uses.push(Use { name: name.to_string(), kind, pos: pos(self.file, n) });
    }

    fn declare(&mut self, n: Node, ty: Option<String>) {
        let name = self.t(n);
        if name != "_"
            && let Some(s) = self.scopes.last_mut()
        {
            s.insert(name.to_string(), ty);
        }
    }

    /// B's type a type expression names, in the current scope.
    fn b_type_of_type(&self, t: Node) -> Option<String> {
        match t.kind() {
            "pointer_type" | "parenthesized_type" => t.named_child(0).and_then(|c| self.b_type_of_type(c)),
            "generic_type" => t.child_by_field_name("type").and_then(|c| self.b_type_of_type(c)),
            "slice_type" | "array_type" => {
                t.child_by_field_name("element").and_then(|c| self.b_type_of_type(c)).map(elems)
            }
            "map_type" => t.child_by_field_name("value").and_then(|c| self.b_type_of_type(c)).map(elems),
            "qualified_type" => {
                let p = self.t(t.child_by_field_name("package")?);
                let n = self.t(t.child_by_field_name("name")?);
                (self.is_pkg(p) && self.b.decls.get(n).is_some_and(|d| d.kind.is_type())).then(|| n.to_string())
            }
            "type_identifier" => {
                let n = self.t(t);
                (self.is_dot(n) && self.b.decls[n].kind.is_type()).then(|| n.to_string())
            }
            _ => None,
        }
    }

    /// B's type of an expression's value, when the syntax shows it.
    fn value_type(&self, e: Node) -> Option<String> {
        match e.kind() {
            "identifier" => {
                let n = self.t(e);
                match self.local(n) {
                    Some(t) => t.clone(),
                    None if self.is_dot(n) => self.b.decls[n].value_type.clone(),
                    None => self.globals.get(n).cloned().flatten(),
                }
            }
            "selector_expression" => {
                let op = e.child_by_field_name("operand")?;
                let field = self.t(e.child_by_field_name("field")?);
                if op.kind() == "identifier" && self.is_pkg(self.t(op)) {
                    let d = self.b.decls.get(field)?;
                    return if d.kind.is_type() { Some(field.to_string()) } else { d.value_type.clone() };
                }
                if let Some(t) = self.value_type(op) {
                    return self.b.members.get(&t).and_then(|m| m.get(field)).and_then(|(_, r)| r.clone());
                }
                self.fields.get(field).cloned()
            }
            "call_expression" => {
                let f = e.child_by_field_name("function")?;
                if f.kind() == "identifier" && matches!(self.t(f), "make" | "new") && self.local(self.t(f)).is_none() {
                    let arg = e.child_by_field_name("arguments").and_then(|a| a.named_child(0))?;
                    return self.b_type_of_type(arg);
                }
                if f.kind() == "identifier" && self.is_dot(self.t(f)) {
                    let d = &self.b.decls[self.t(f)];
                    return if d.kind.is_type() { Some(self.t(f).to_string()) } else { d.value_type.clone() };
                }
                self.value_type(f)
            }
            "composite_literal" => e.child_by_field_name("type").and_then(|t| self.b_type_of_type(t)),
            "unary_expression" | "parenthesized_expression" => {
                e.child_by_field_name("operand").or_else(|| e.named_child(0)).and_then(|c| self.value_type(c))
            }
            "type_assertion_expression" => e.child_by_field_name("type").and_then(|t| self.b_type_of_type(t)),
            "index_expression" => {
                e.child_by_field_name("operand").and_then(|o| self.value_type(o)).and_then(|t| elem(&t))
            }
            "slice_expression" => e.child_by_field_name("operand").and_then(|o| self.value_type(o)),
            _ => None,
        }
    }

    fn children(&mut self, n: Node) {
        for c in named_children(n) {
            self.walk(c);
        }
    }

    fn walk_opt(&mut self, n: Option<Node>) {
        if let Some(n) = n {
            self.walk(n);
        }
    }

    /// Walks the types of a parameter list (in the enclosing scope).
    fn param_types(&mut self, list: Option<Node>) {
        let Some(list) = list else { return };
        if list.kind() != "parameter_list" && list.kind() != "type_parameter_list" {
            self.walk(list);
            return;
        }
        for p in named_children(list) {
            self.walk_opt(p.child_by_field_name("type"));
        }
    }

    fn declare_params(&mut self, list: Option<Node>) {
        let Some(list) = list else { return };
        if list.kind() != "parameter_list" && list.kind() != "type_parameter_list" {
            return;
        }
        for p in named_children(list) {
            let ty = p.child_by_field_name("type").and_then(|t| self.b_type_of_type(t));
            for name in field_children(p, "name") {
                self.declare(name, ty.clone());
            }
        }
    }

    fn func(&mut self, n: Node) {
        let tparams = n.child_by_field_name("type_parameters");
        let recv = n.child_by_field_name("receiver");
        let params = n.child_by_field_name("parameters");
        let result = n.child_by_field_name("result");
        // Type parameters are in scope in the signature.
        self.scopes.push(HashMap::new());
        self.declare_params(tparams);
        self.param_types(tparams);
        self.param_types(recv);
        self.param_types(params);
        self.param_types(result);
        self.declare_params(recv);
        self.declare_params(params);
        self.declare_params(result);
        self.walk_opt(n.child_by_field_name("body"));
        self.scopes.pop();
    }

    fn scoped(&mut self, n: Node) {
        self.scopes.push(HashMap::new());
        self.children(n);
        self.scopes.pop();
    }

    fn walk(&mut self, n: Node) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.walk_inner(n);
        self.depth -= 1;
    }

    fn walk_inner(&mut self, n: Node) {
        match n.kind() {
            "package_clause" | "import_declaration" | "comment" | "field_identifier" | "label_name" => {}
            "function_declaration" | "method_declaration" | "func_literal" => self.func(n),
            "block"
            | "if_statement"
            | "for_statement"
            | "expression_switch_statement"
            | "select_statement"
            | "expression_case"
            | "default_case"
            | "type_case"
            | "communication_case" => self.scoped(n),
            "type_switch_statement" => {
                self.scopes.push(HashMap::new());
                self.walk_opt(n.child_by_field_name("initializer"));
                self.walk_opt(n.child_by_field_name("value"));
                for a in field_children(n, "alias") {
                    for id in named_children(a) {
                        self.declare(id, None);
                    }
                }
                for c in named_children(n) {
                    if matches!(c.kind(), "type_case" | "default_case") {
                        self.walk(c);
                    }
                }
                self.scopes.pop();
            }
            "short_var_declaration" => {
                let right: Vec<Node> = n.child_by_field_name("right").map(named_children).unwrap_or_default();
                for r in &right {
                    self.walk(*r);
                }
                let left: Vec<Node> = n.child_by_field_name("left").map(named_children).unwrap_or_default();
                let types: Vec<Option<String>> = if left.len() == right.len() {
                    right.iter().map(|r| self.value_type(*r)).collect()
                } else {
                    let first = right.first().and_then(|r| self.value_type(*r));
                    std::iter::once(first).chain(std::iter::repeat(None)).take(left.len()).collect()
                };
                for (l, t) in left.into_iter().zip(types) {
                    if l.kind() == "identifier" {
                        self.declare(l, t);
                    }
                }
            }
            "var_declaration" | "const_declaration" => {
                for spec in specs(n) {
                    let ty = spec.child_by_field_name("type");
                    self.walk_opt(ty);
                    let values: Vec<Node> = spec.child_by_field_name("value").map(named_children).unwrap_or_default();
                    for v in &values {
                        self.walk(*v);
                    }
                    if self.scopes.is_empty() {
                        continue;
                    }
                    let declared = ty.and_then(|t| self.b_type_of_type(t));
                    let names: Vec<Node> =
                        field_children(spec, "name").into_iter().filter(|x| x.kind() == "identifier").collect();
                    for (i, name) in names.into_iter().enumerate() {
                        let t = declared.clone().or_else(|| values.get(i).and_then(|v| self.value_type(*v)));
                        self.declare(name, t);
                    }
                }
            }
            "type_declaration" => {
                for spec in named_children(n) {
                    if !self.scopes.is_empty()
                        && let Some(name) = spec.child_by_field_name("name")
                    {
                        self.declare(name, None);
                    }
                    self.scopes.push(HashMap::new());
                    let tparams = spec.child_by_field_name("type_parameters");
                    self.declare_params(tparams);
                    self.param_types(tparams);
                    self.walk_opt(spec.child_by_field_name("type"));
                    self.scopes.pop();
                }
            }
            "range_clause" | "receive_statement" => {
                self.walk_opt(n.child_by_field_name("right"));
                let defines = {
                    let mut c = n.walk();
                    n.children(&mut c).any(|c| c.kind() == ":=")
                };
                if let Some(left) = n.child_by_field_name("left") {
                    if defines {
                        // `for i, v := range xs`: v is an element of xs.
                        let elem_type = (n.kind() == "range_clause")
                            .then(|| n.child_by_field_name("right").and_then(|r| self.value_type(r)))
                            .flatten()
                            .and_then(|t| elem(&t));
                        for (i, id) in named_children(left).into_iter().enumerate() {
                            if id.kind() == "identifier" {
                                self.declare(id, if i == 1 { elem_type.clone() } else { None });
                            }
                        }
                    } else {
                        self.walk(left);
                    }
                }
            }
            "parameter_declaration" | "variadic_parameter_declaration" => self.walk_opt(n.child_by_field_name("type")),
            "method_elem" => {
                self.param_types(n.child_by_field_name("parameters"));
                self.param_types(n.child_by_field_name("result"));
            }
            "function_type" => {
                self.param_types(n.child_by_field_name("parameters"));
                self.param_types(n.child_by_field_name("result"));
            }
            "field_declaration" => self.walk_opt(n.child_by_field_name("type")),
            "keyed_element" => {
                if let Some(k) = n.child_by_field_name("key") {
                    let bare = k.named_child_count() == 1 && k.named_child(0).is_some_and(|c| c.kind() == "identifier");
                    if !bare {
                        self.walk(k);
                    }
                }
                self.walk_opt(n.child_by_field_name("value"));
            }
            "selector_expression" => {
                let (Some(op), Some(field)) = (n.child_by_field_name("operand"), n.child_by_field_name("field")) else {
                    return self.children(n);
                };
                let f = self.t(field);
                if op.kind() == "identifier" && self.is_pkg(self.t(op)) {
                    self.record(f, field);
                    return;
                }
                if let Some(t) = self.value_type(op)
                    && let Some((kind, _)) = self.b.members.get(&t).and_then(|m| m.get(f))
                {
                    self.uses.push(Use { name: format!("{t}.{f}"), kind: *kind, pos: pos(self.file, field) });
                }
                self.walk(op);
            }
            "qualified_type" => {
                if let (Some(p), Some(name)) = (n.child_by_field_name("package"), n.child_by_field_name("name"))
                    && self.is_pkg(self.t(p))
                {
                    let name_s = self.t(name);
                    self.record(name_s, name);
                }
            }
            "identifier" | "type_identifier" => {
                let name = self.t(n);
                if self.is_dot(name) {
                    self.record(name, n);
                }
            }
            // `errors.AsType[*T](err)` (Go 1.26) reads as a conversion to a
            // generic type (the parser cannot know AsType is a function):
            // its type argument is an errors target, as in errors.As.
            "type_conversion_expression" if self.errors_as_type(n) => {
                let before = self.uses.len();
                self.children(n);
                for u in &self.uses[before..] {
                    if u.kind.is_top_level() {
                        self.targets.insert(u.name.clone());
                    }
                }
            }
            "call_expression" => {
                let f = n.child_by_field_name("function");
                self.walk_opt(f);
                let errors_function = |name: &str| {
                    f.is_some_and(|f| {
                        f.kind() == "selector_expression"
                            && f.child_by_field_name("operand").is_some_and(|o| {
                                let o = self.t(o);
                                self.fi.errors_names.iter().any(|e| e == o) && self.local(o).is_none()
                            })
                            && f.child_by_field_name("field").is_some_and(|x| self.t(x) == name)
                    })
                };
                let is_errors_target = errors_function("As") || errors_function("Is");
                self.walk_opt(n.child_by_field_name("type_arguments"));
                let args: Vec<Node> = n.child_by_field_name("arguments").map(named_children).unwrap_or_default();
                for (i, a) in args.into_iter().enumerate() {
                    let before = self.uses.len();
                    self.walk(a);
                    if is_errors_target && i == 1 {
                        for u in &self.uses[before..] {
                            if u.kind.is_top_level() {
                                self.targets.insert(u.name.clone());
                            }
                        }
                        if let Some(t) = self.value_type(a) {
                            self.targets.insert(t);
                        }
                    }
                }
            }
            _ => self.children(n),
        }
    }
}

pub(crate) fn anatomy_of(parsed: &[Parsed], path: &str, b: &PackageDecls) -> Anatomy {
    let b_name = if b.name.is_empty() { path.rsplit('/').next().unwrap_or(path).to_string() } else { b.name.clone() };
    let imports: Vec<FileImports> = parsed.iter().map(|f| file_imports(f, path, &b_name)).collect();
    let mut globals = HashMap::new();
    let mut fields = HashMap::new();
    for (f, fi) in parsed.iter().zip(&imports) {
        let (g, fl) = globals_of(f, fi, b);
        for (k, v) in g {
            let e = globals.entry(k).or_insert(None);
            if e.is_none() {
                *e = v;
            }
        }
        fields.extend(fl);
    }
    let per_file: Vec<(Vec<Use>, HashSet<String>)> = parsed
        .par_iter()
        .zip(imports.par_iter())
        .map(|(f, fi)| {
            if fi.names.is_empty() && !fi.dot {
                return (Vec::new(), HashSet::new());
            }
            let mut w = Walker {
                file: &f.name,
                src: &f.src,
                b,
                fi,
                globals: &globals,
                fields: &fields,
                scopes: Vec::new(),
                uses: Vec::new(),
                targets: HashSet::new(),
                depth: 0,
            };
            w.walk(f.tree.root_node());
            (w.uses, w.targets)
        })
        .collect();
    let mut forms = Vec::new();
    for fi in &imports {
        for (on, form) in
            [(!fi.names.is_empty(), ImportForm::Named), (fi.dot, ImportForm::Dot), (fi.blank, ImportForm::Blank)]
        {
            if on && !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    let importer_files = parsed
        .iter()
        .zip(&imports)
        .filter(|(_, fi)| !fi.names.is_empty() || fi.dot || fi.blank)
        .map(|(f, _)| f.name.clone())
        .collect();
    let mut by_name: BTreeMap<(String, Kind), Vec<Pos>> = BTreeMap::new();
    let mut targets = HashSet::new();
    for (uses, t) in per_file {
        targets.extend(t);
        for u in uses {
            by_name.entry((u.name, u.kind)).or_default().push(u.pos);
        }
    }
    let mut counts = Counts::default();
    let mut idents = Vec::new();
    for ((name, kind), mut sites) in by_name {
        sites.sort();
        sites.dedup();
        counts.uses += sites.len();
        if kind.is_top_level() {
            counts.identifiers += 1;
        } else {
            counts.members += 1;
        }
        *counts.by_kind.entry(kind).or_default() += 1;
        let d = if kind.is_top_level() { b.decls.get(&name) } else { None };
        idents.push(Ident {
            errors_target: targets.contains(&name),
            decl: d.map(|d| d.pos.clone()),
            decl_lines: d.map(|d| d.lines),
            test_helper: d.is_some_and(|d| d.takes_testing),
            name,
            kind,
            sites,
        });
    }
    idents.sort_by(|a, b| (!a.kind.is_top_level(), &a.sites[0]).cmp(&(!b.kind.is_top_level(), &b.sites[0])));
    Anatomy { import_path: path.to_string(), importer_files, forms, package_name: b_name, idents, counts }
}
