//! Go symbol names to package paths, by the linker's naming rules.

/// The package a Go symbol belongs to, or `None` for symbols of no package
/// (`go:…`, `type:…`, and names without a package qualifier, such as C
/// functions).
///
/// Rules: generic instantiation arguments (`[...]`) are removed first; the
/// package is everything up to the first `.` after the last `/`; `%xx`
/// escapes (the linker writes `.` in the last path element as `%2e`) are
/// undone.
pub fn package_of(name: &str) -> Option<String> {
    if is_pseudo(name) {
        return None;
    }
    let stripped = strip_generics(name);
    let s = stripped.as_ref();
    let start = s.rfind('/').map_or(0, |i| i + 1);
    let dot = s[start..].find('.')? + start;
    if dot == 0 {
        return None;
    }
    let pkg = &s[..dot];
    if pkg.contains('(') || pkg.contains(' ') || pkg.contains('*') {
        return None;
    }
    Some(unescape(pkg))
}

/// The pseudo-package of a symbol of no package: `go:` or `type:` (also the
/// pre-1.20 spellings `go.` and `type.`), else `None`.
pub fn pseudo_group(name: &str) -> Option<&'static str> {
    if name.starts_with("type:") || name.starts_with("type.") && !is_domain_path(name) {
        Some("type:")
    } else if name.starts_with("go:") || name.starts_with("go.") && !is_domain_path(name) {
        Some("go:")
    } else {
        None
    }
}

/// Whether a name starting `go.`/`type.` is a package path whose first
/// element is a domain (`go.uber.org/zap.New`), not a pre-1.20 linker
/// symbol (`go.itab.*os.File,io.Writer`, `type..eq.[2]string`).
fn is_domain_path(name: &str) -> bool {
    let Some((first, _)) = name.split_once('/') else { return false };
    !first.is_empty()
        && first.split('.').count() >= 3
        && first.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
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
        ];
        for (name, want) in cases {
            assert_eq!(package_of(name).as_deref(), want, "{name}");
        }
    }
}
