//! Go symbol names to package paths, by the linker's naming rules.

/// The package a Go symbol belongs to, or `None` for symbols of no package
/// (`go:…`, `type:…`, and names without a package qualifier, such as C
/// functions).
///
/// Rules: generic instantiation arguments (`[...]`) are removed first. The
/// package path ends at a `.`: the first one after the path's last `/`,
/// where the path is the part of the name before the first `/` that follows
/// a `.` of the symbol proper (a wrapper of a method promoted from another
/// package names that package after the type:
/// `text/template.Template.text/template/parse.add` is of `text/template`).
/// A first path element with dots is a domain (lowercase, digits, `-`,
/// `.`), not a symbol. `%xx` escapes (the linker writes `.` in the last path
/// element as `%2e`) are undone.
pub fn package_of(name: &str) -> Option<String> {
    if is_pseudo(name) {
        return None;
    }
    if let Some(f) = name.strip_prefix("runtime/debug.")
        && RUNTIME_DEBUG_IN_RUNTIME.contains(&f)
    {
        return Some("runtime".to_string());
    }
    let stripped = strip_generics(name);
    let s = stripped.as_ref();
    let dot = package_end(s)?;
    if dot == 0 {
        return None;
    }
    let pkg = &s[..dot];
    // `completed.0`, `object.2`: a C compiler's static locals, no Go name.
    if s[dot + 1..].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if pkg.contains('(') || pkg.contains(' ') || pkg.contains('*') || pkg.contains(',') {
        return None;
    }
    Some(unescape(pkg))
}

/// Functions of `runtime/debug` that the runtime implements (under that
/// name, by `go:linkname`) and calls itself: runtime code, present whether
/// the program imports `runtime/debug` or not.
const RUNTIME_DEBUG_IN_RUNTIME: &[&str] = &[
    "SetTraceback",
    "setGCPercent",
    "setMaxStack",
    "setMaxThreads",
    "setMemoryLimit",
    "setPanicOnFault",
    "freeOSMemory",
    "readGCStats",
    "WriteHeapDump",
];

/// The index of the `.` that ends the package path of `s`.
fn package_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    // Where path elements may start: after the first element when that is
    // a domain, else at 0.
    let first_slash = s.find('/');
    let mut start = 0;
    if let Some(fs) = first_slash
        && is_domain(&s[..fs])
    {
        start = fs + 1;
    }
    // Walk elements: an element that contains a `.` ends the path at that
    // dot, unless the element goes on to a `/` before any other `.` (a dot
    // inside a path element, as in `github.com/a/b.c/d.F`).
    let mut i = start;
    loop {
        let rest = &s[i..];
        let dot = rest.find('.')? + i;
        let slash = rest.find('/').map(|x| x + i);
        match slash {
            // The next `/` comes before the next `.`: a plain element.
            Some(sl) if sl < dot => i = sl + 1,
            _ => {
                // A `/` after the dot, with only what a path element holds
                // in between (lowercase letters, digits, `.`, `-`, `_`,
                // `~`): the dot was inside an element (`b.c/d.F`,
                // `semconv/v1.43.0/httpconv.F`). Anything else (a type name,
                // `(*T)`) starts the symbol proper.
                let after = &b[dot + 1..];
                let in_element = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit() || b".-_~".contains(c);
                match after.iter().position(|&c| c == b'/') {
                    Some(k) if k > 0 && after[..k].iter().all(in_element) => i = dot + 1 + k + 1,
                    _ => return Some(dot),
                }
            }
        }
    }
}

/// Whether a first path element is a domain, as module paths require:
/// lowercase ASCII letters, digits, `-` and `.`, with a dot.
fn is_domain(first: &str) -> bool {
    first.contains('.')
        && !first.starts_with('.')
        && !first.ends_with('.')
        && !first.contains("..")
        && first.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.')
}

/// The linker's symbol prefixes before Go 1.20 (`go.itab.*os.File,io.Writer`,
/// `go.string."..."`); after 1.20 these are spelled `go:`.
const OLD_LINKER_PREFIXES: &[&str] = &[
    "go.itab.",
    "go.string.",
    "go.func.",
    "go.shape.",
    "go.importpath.",
    "go.info.",
    "go.map.",
    "go.builtin.",
    "go.cuinfo.",
    "go.constinfo.",
    "go.link.",
    "go.plugin.",
    "go.buildid",
    "go.runtimeinfo",
    "go.track.",
    "go.weak.",
    "go.range.",
    "go.loc.",
    "go.debuglines.",
    "go.funcrel.",
    "go.interface",
    "go.struct",
    "go.uintptr",
    "go.typelink",
    "go.itablink",
    "go.fipsinfo",
];

/// The pseudo-package of a symbol of no package: `go:` or `type:` (also the
/// pre-1.20 spellings `go.` and `type.`; the linker's constants
/// `$f64.3ff0000000000000` are `go:`), else `None`.
pub fn pseudo_group(name: &str) -> Option<&'static str> {
    if name.starts_with("type:") || name.starts_with("type.") {
        Some("type:")
    } else if name.starts_with("go:")
        || name.starts_with('$')
        || OLD_LINKER_PREFIXES.iter().any(|p| name.starts_with(p))
        || name.starts_with("go.") && !is_domain_path(name)
    {
        Some("go:")
    } else {
        None
    }
}

/// Whether a name starting `go.` is a package path whose first element is a
/// domain (`go.uber.org/zap.New`), not a linker symbol.
fn is_domain_path(name: &str) -> bool {
    let Some((first, _)) = name.split_once('/') else { return false };
    first.split('.').count() >= 3 && is_domain(first)
}

fn is_pseudo(name: &str) -> bool {
    pseudo_group(name).is_some()
}

fn strip_generics(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.contains('[') {
        return std::borrow::Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    std::borrow::Cow::Owned(out)
}

fn unescape(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naming_rules() {
        let cases = [
            ("runtime.main", Some("runtime")),
            ("net/http.(*Server).Serve", Some("net/http")),
            ("net/http.(*Server).Serve.func1", Some("net/http")),
            ("gopkg.in/yaml%2ev3.Marshal", Some("gopkg.in/yaml.v3")),
            ("github.com/a/b.Map[go.shape.int,go.shape.string]", Some("github.com/a/b")),
            ("github.com/a/b.(*T[go/ast.Node]).M", Some("github.com/a/b")),
            ("slices.SortFunc[[]net/netip.Prefix,net/netip.Prefix]", Some("slices")),
            ("type:.eq.net/http.Request", None),
            ("go:buildid", None),
            ("go.buildid", None),
            ("x_cgo_init", None),
            ("main.main", Some("main")),
            ("go.uber.org/zap.New", Some("go.uber.org/zap")),
            ("go.opentelemetry.io/otel/trace.(*T).M", Some("go.opentelemetry.io/otel/trace")),
            ("go.itab.*os.File,io.Writer", None),
            ("go.shape.int", None),
            ("type..eq.[2]string", None),
            ("type..eq.github.com/a/b.T", None),
            ("type.*github.com/a/b.T", None),
            ("go.itab.encoding/json.(*Decoder),io.Reader", None),
            ("go.itab.*github.com/a/b.T,io.Writer", None),
            ("text/template.Template.text/template/parse.add", Some("text/template")),
            ("text/template.(*Template).text/template/parse.errorf", Some("text/template")),
            ("github.com/a/b.c/d.F", Some("github.com/a/b.c/d")),
            ("github.com/a/b.T.github.com/c/d.m", Some("github.com/a/b")),
            ("go.uber.org/zap.(*Logger).go.uber.org/zap/zapcore.check", Some("go.uber.org/zap")),
            ("runtime.Foo.internal/abi.bar", Some("runtime")),
            ("$f64.3ff0000000000000", None),
            ("runtime/debug.SetTraceback", Some("runtime")),
            ("completed.0", None),
            (
                "go.opentelemetry.io/otel/semconv/v1.43.0/httpconv.(*T).M",
                Some("go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"),
            ),
            ("go.opentelemetry.io/otel/semconv/v1%2e17%2e0.X", Some("go.opentelemetry.io/otel/semconv/v1.17.0")),
            ("runtime/debug.Stack", Some("runtime/debug")),
            ("k8s.io/api/core/v1.(*Pod).Reset", Some("k8s.io/api/core/v1")),
            ("gopkg.in/yaml%2ev3.(*decoder).unmarshal", Some("gopkg.in/yaml.v3")),
        ];
        for (name, want) in cases {
            assert_eq!(package_of(name).as_deref(), want, "{name}");
        }
    }
}
