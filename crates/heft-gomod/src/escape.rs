//! Module path rules and the module cache's case-escaping.
//!
//! The module cache must work on case-insensitive file systems, so an
//! upper-case letter `X` is stored as `!x`; a `!` anywhere else is invalid.
//! Messages match the go command's.

use crate::strconv::{quote, quote_rune};

pub use crate::semver::{compare_versions, is_valid_version};

/// A module path, import path, file path or version the go command
/// rejects (or cannot case-escape), with its message.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
#[error("{msg}")]
pub struct EscapeError {
    /// The go command's message, e.g. `malformed module path "x": …`.
    pub msg: String,
}

impl EscapeError {
    fn new(msg: impl Into<String>) -> Self {
        EscapeError { msg: msg.into() }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Module,
    Import,
    File,
}

/// Characters allowed in the first element of a module path (the host).
fn first_elem_ok(c: char) -> bool {
    matches!(c, '-' | '.' | '0'..='9' | 'a'..='z')
}

fn mod_char_ok(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '~' | '0'..='9' | 'A'..='Z' | 'a'..='z')
}

fn file_char_ok(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&()+,-.=@[]^_{}~ ".contains(c)
    } else {
        // Letters only: non-ASCII punctuation and spaces are too easily confused.
        c.is_alphabetic()
    }
}

/// Device names that Windows reserves in every directory.
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

fn check_elem(elem: &str, kind: Kind) -> Result<(), String> {
    if elem.is_empty() {
        return Err("empty path element".into());
    }
    if elem.bytes().all(|b| b == b'.') {
        return Err(format!("invalid path element {}", quote(elem.as_bytes())));
    }
    if elem.starts_with('.') && kind == Kind::Module {
        return Err("leading dot in path element".into());
    }
    if elem.ends_with('.') {
        return Err("trailing dot in path element".into());
    }
    for c in elem.chars() {
        let ok = match kind {
            Kind::Module => mod_char_ok(c),
            Kind::Import => mod_char_ok(c) || c == '+',
            Kind::File => file_char_ok(c),
        };
        if !ok {
            return Err(format!("invalid char {}", quote_rune(c as u32)));
        }
    }
    let short = elem.split('.').next().unwrap_or(elem);
    if WINDOWS_RESERVED.iter().any(|bad| bad.eq_ignore_ascii_case(short)) {
        return Err(format!("{} disallowed as path element component on Windows", quote(short.as_bytes())));
    }
    if kind == Kind::File {
        return Ok(());
    }
    // Windows short names look like "PROGRA~1"; keep paths from colliding with them.
    let tilde_digits =
        short.rfind('~').is_some_and(|t| t + 1 < short.len() && short[t + 1..].bytes().all(|b| b.is_ascii_digit()));
    if tilde_digits {
        return Err("trailing tilde and digits in path element".into());
    }
    Ok(())
}

fn check_path_kind(path: &str, kind: Kind) -> Result<(), String> {
    if path.is_empty() {
        return Err("empty string".into());
    }
    if path.starts_with('-') && kind != Kind::File {
        return Err("leading dash".into());
    }
    if path.contains("//") {
        return Err("double slash".into());
    }
    if path.ends_with('/') {
        return Err("trailing slash".into());
    }
    path.split('/').try_for_each(|e| check_elem(e, kind))
}

fn check_module_path(path: &str) -> Result<(), String> {
    check_path_kind(path, Kind::Module)?;
    let first = path.split('/').next().unwrap_or("");
    if first.is_empty() {
        return Err("leading slash".into());
    }
    if !first.contains('.') {
        return Err("missing dot in first path element".into());
    }
    if path.starts_with('-') {
        return Err("leading dash in first path element".into());
    }
    if let Some(c) = first.chars().find(|&c| !first_elem_ok(c)) {
        return Err(format!("invalid char {} in first path element", quote_rune(c as u32)));
    }
    if split_path_version(path).is_none() {
        return Err("invalid version".into());
    }
    Ok(())
}

/// `module.CheckPath`: whether `path` may be a module path.
pub fn check_path(path: &str) -> Result<(), EscapeError> {
    check_module_path(path)
        .map_err(|e| EscapeError::new(format!("malformed module path {}: {e}", quote(path.as_bytes()))))
}

/// `module.CheckImportPath`: whether `path` may be an import path.
pub fn check_import_path(path: &str) -> Result<(), EscapeError> {
    check_path_kind(path, Kind::Import)
        .map_err(|e| EscapeError::new(format!("malformed import path {}: {e}", quote(path.as_bytes()))))
}

/// Whether `path` may name a main module (the module of a go.mod the go
/// command loads as its own, or a workspace's): the go command checks it as
/// an import path (`module.CheckImportPath`) and reports it as a module
/// path. No dot is needed in the first element: that rule is for modules
/// that are downloaded, and `go mod init myapp` writes `module myapp`.
pub fn check_main_module_path(path: &str) -> Result<(), EscapeError> {
    check_path_kind(path, Kind::Import)
        .map_err(|e| EscapeError::new(format!("malformed module path {}: {e}", quote(path.as_bytes()))))
}

/// `module.CheckFilePath`: whether `path` may name a file in a module zip.
pub fn check_file_path(path: &str) -> Result<(), EscapeError> {
    check_path_kind(path, Kind::File)
        .map_err(|e| EscapeError::new(format!("malformed file path {}: {e}", quote(path.as_bytes()))))
}

/// Splits `path` into its prefix and major-version suffix (`/v2`, or
/// `.v1` / `.v2-unstable` for gopkg.in). `None` when the suffix is
/// malformed, such as `/v1`, `/v0`, `/v02` or gopkg.in without `.vN`.
pub fn split_path_version(path: &str) -> Option<(&str, &str)> {
    if path.starts_with("gopkg.in/") {
        return split_gopkg_in(path);
    }
    let b = path.as_bytes();
    let mut i = b.len();
    let mut dot = false;
    while i > 0 && (b[i - 1].is_ascii_digit() || b[i - 1] == b'.') {
        dot |= b[i - 1] == b'.';
        i -= 1;
    }
    if i <= 1 || i == b.len() || b[i - 1] != b'v' || b[i - 2] != b'/' {
        return Some((path, ""));
    }
    let (prefix, major) = path.split_at(i - 2);
    if dot || major.len() <= 2 || major.as_bytes()[2] == b'0' || major == "/v1" {
        return None;
    }
    Some((prefix, major))
}

fn split_gopkg_in(path: &str) -> Option<(&str, &str)> {
    let b = path.as_bytes();
    let mut i = b.len();
    if path.ends_with("-unstable") {
        i -= "-unstable".len();
    }
    while i > 0 && b[i - 1].is_ascii_digit() {
        i -= 1;
    }
    if i <= 1 || b[i - 1] != b'v' || b[i - 2] != b'.' {
        return None;
    }
    let (prefix, major) = path.split_at(i - 2);
    if major.len() <= 2 || (major.as_bytes()[2] == b'0' && major != ".v0") {
        return None;
    }
    Some((prefix, major))
}

/// `module.CheckPathMajor`: whether version `v` fits a path whose major
/// suffix (from [`split_path_version`]) is `path_major`.
pub fn check_path_major(v: &str, path_major: &str) -> Result<(), EscapeError> {
    let mut pm = path_major;
    if pm.starts_with(".v") {
        pm = pm.strip_suffix("-unstable").unwrap_or(pm);
    }
    // gopkg.in/x.v1 predates modules; its pseudo-versions start at v0.
    if v.starts_with("v0.0.0-") && pm == ".v1" {
        return Ok(());
    }
    let m = crate::semver::major(v);
    let want = if pm.is_empty() {
        if m == "v0" || m == "v1" || crate::semver::build(v) == "+incompatible" {
            return Ok(());
        }
        "v0 or v1"
    } else if pm.starts_with('/') || pm.starts_with('.') {
        if m == &pm[1..] {
            return Ok(());
        }
        &pm[1..]
    } else {
        pm
    };
    Err(EscapeError::new(format!("version {} invalid: should be {want}, not {m}", quote(v.as_bytes()))))
}

/// `module.CanonicalVersion`: the canonical semantic version, keeping a
/// `+incompatible` suffix (the only build metadata with a meaning); ""
/// when `v` is not a version.
pub fn canonical_version(v: &str) -> String {
    let mut c = crate::semver::canonical(v);
    if crate::semver::build(v) == "+incompatible" {
        c.push_str("+incompatible");
    }
    c
}

fn escape_string(s: &str) -> Result<String, EscapeError> {
    if s.bytes().any(|b| b == b'!' || b >= 0x80) {
        return Err(EscapeError::new("internal error: inconsistency in EscapePath"));
    }
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

fn unescape_string(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut bang = false;
    for c in s.chars() {
        if !c.is_ascii() {
            return None;
        }
        if bang {
            bang = false;
            if !c.is_ascii_lowercase() {
                return None;
            }
            out.push(c.to_ascii_uppercase());
        } else if c == '!' {
            bang = true;
        } else if c.is_ascii_uppercase() {
            return None;
        } else {
            out.push(c);
        }
    }
    if bang { None } else { Some(out) }
}

/// The module cache directory name for module `path`
/// (`github.com/Azure/x` → `github.com/!azure/x`). Fails for paths that
/// are not valid module paths.
pub fn escape_path(path: &str) -> Result<String, EscapeError> {
    check_path(path)?;
    escape_string(path)
}

/// The module cache spelling of a version (`v1.0.0-RC1` → `v1.0.0-!r!c1`).
pub fn escape_version(v: &str) -> Result<String, EscapeError> {
    if check_elem(v, Kind::File).is_err() || v.contains('!') {
        return Err(EscapeError::new(format!("version {} invalid: disallowed version string", quote(v.as_bytes()))));
    }
    escape_string(v)
}

/// Inverse of [`escape_path`].
pub fn unescape_path(escaped: &str) -> Result<String, EscapeError> {
    let q = quote(escaped.as_bytes());
    let path = unescape_string(escaped).ok_or_else(|| EscapeError::new(format!("invalid escaped module path {q}")))?;
    if let Err(e) = check_module_path(&path) {
        return Err(EscapeError::new(format!(
            "invalid escaped module path {q}: malformed module path {}: {e}",
            quote(path.as_bytes())
        )));
    }
    Ok(path)
}

/// Inverse of [`escape_version`].
pub fn unescape_version(escaped: &str) -> Result<String, EscapeError> {
    let v = unescape_string(escaped)
        .ok_or_else(|| EscapeError::new(format!("invalid escaped version {}", quote(escaped.as_bytes()))))?;
    if let Err(e) = check_elem(&v, Kind::File) {
        return Err(EscapeError::new(format!("invalid escaped version {}: {e}", quote(v.as_bytes()))));
    }
    Ok(v)
}

/// Whether `v` is a pseudo-version (`vX.0.0-yyyymmddhhmmss-abcdef123456`,
/// `vX.Y.(Z+1)-0.yyyymmddhhmmss-…`, or `vX.Y.Z-pre.0.yyyymmddhhmmss-…`,
/// optionally `+incompatible`).
pub fn is_pseudo_version(v: &str) -> bool {
    if v.matches('-').count() < 2 || !is_valid_version(v) {
        return false;
    }
    let core = &v[..v.len() - crate::semver::build(v).len()];
    // Trailing "-<14 digits>-<revision>".
    let Some((head, rev)) = core.rsplit_once('-') else {
        return false;
    };
    if rev.is_empty() || !rev.bytes().all(|b| b.is_ascii_alphanumeric()) || head.len() < 14 {
        return false;
    }
    let (base, stamp) = head.split_at(head.len() - 14);
    if !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    // base is "vX.0.0-" or "vX.Y.Z-" + optional "anything." + "0."
    let Some(rest) = base.strip_prefix('v') else {
        return false;
    };
    let n = digits(rest);
    if n == 0 || rest.as_bytes().get(n) != Some(&b'.') {
        return false;
    }
    let rest = &rest[n + 1..];
    if rest == "0.0-" {
        return true;
    }
    let Some(rest) = rest.strip_suffix("0.") else {
        return false;
    };
    let n = digits(rest);
    if n == 0 || rest.as_bytes().get(n) != Some(&b'.') {
        return false;
    }
    let rest = &rest[n + 1..];
    let n = digits(rest);
    if n == 0 || rest.as_bytes().get(n) != Some(&b'-') {
        return false;
    }
    let mid = &rest[n + 1..];
    mid.is_empty() || mid.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        let cases = [
            ("m.com/a", "m.com/a"),
            ("github.com/Azure/azure-sdk-for-go", "github.com/!azure/azure-sdk-for-go"),
            ("github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml"),
            ("github.com/shurcooL/sanitized_anchor_name", "github.com/shurcoo!l/sanitized_anchor_name"),
            ("m.com/ABC", "m.com/!a!b!c"),
        ];
        for (path, esc) in cases {
            assert_eq!(escape_path(path).unwrap(), esc);
            assert_eq!(unescape_path(esc).unwrap(), path);
        }
        assert_eq!(escape_version("v1.0.0-RC1").unwrap(), "v1.0.0-!r!c1");
        assert_eq!(escape_version("v1.2.3").unwrap(), "v1.2.3");
        assert_eq!(unescape_version("v1.0.0-!r!c1").unwrap(), "v1.0.0-RC1");
        assert!(escape_version("v1!").is_err());
        assert!(escape_version("").is_err());
        assert!(escape_version("v1/2").is_err());
        assert_eq!(
            escape_version("v1!").unwrap_err().to_string(),
            r#"version "v1!" invalid: disallowed version string"#
        );
    }

    #[test]
    fn bad_escapes() {
        for bad in ["m.com/!", "m.com/!A", "m.com/A", "m.com/!!", "m.com/!1", "m.com/é", "M.com/x"] {
            assert!(unescape_path(bad).is_err(), "{bad}");
        }
        assert_eq!(unescape_path("m.com/A").unwrap_err().to_string(), r#"invalid escaped module path "m.com/A""#);
        assert_eq!(
            unescape_path("m/x").unwrap_err().to_string(),
            r#"invalid escaped module path "m/x": malformed module path "m/x": missing dot in first path element"#
        );
        assert!(unescape_version("v1!").is_err());
        assert!(escape_path("Github.com/x").is_err());
        assert!(escape_path("m.com/a!b").is_err());
    }

    #[test]
    fn module_paths() {
        let ok = [
            "A.B.C",
            "x.y.z",
            "a.b/c",
            "m.com/a/b/c",
            "m.com/a-b_c.d~e",
            "gopkg.in/yaml.v2",
            "gopkg.in/check.v1",
            "m.com/x/v2",
            "github.com/x/y",
        ];
        for p in ok {
            if p == "A.B.C" {
                // Upper case in the host is not allowed.
                assert!(check_path(p).is_err());
                continue;
            }
            assert!(check_path(p).is_ok(), "{p}: {:?}", check_path(p));
        }
        let bad = [
            ("", "empty string"),
            ("x", "missing dot in first path element"),
            ("-x.y", "leading dash"),
            ("/x.y", "empty path element"),
            ("x.y/", "trailing slash"),
            ("x.y//z", "double slash"),
            ("x.y/./z", "invalid path element \".\""),
            ("x.y/.z", "leading dot in path element"),
            ("x.y/z.", "trailing dot in path element"),
            ("x_y.z", "invalid char '_' in first path element"),
            ("x.y/z?", "invalid char '?'"),
            ("x.y/con", "\"con\" disallowed as path element component on Windows"),
            ("x.y/Lpt1.txt", "\"Lpt1\" disallowed as path element component on Windows"),
            ("x.y/abc~1", "trailing tilde and digits in path element"),
            ("x.y/v1", "invalid version"),
            ("x.y/z/v0", "invalid version"),
            ("x.y/z/v2.1", "invalid version"),
            ("gopkg.in/yaml", "invalid version"),
        ];
        for (p, msg) in bad {
            let e = check_path(p).unwrap_err().to_string();
            assert_eq!(e, format!("malformed module path {}: {msg}", quote(p.as_bytes())), "{p}");
        }
        assert!(check_path("x.y/abc~").is_ok());
        assert!(check_path("x.y/abc~1x").is_ok());
    }

    #[test]
    fn import_paths() {
        for p in ["fmt", "a/b", "x.y/z+w", "m.com/A", "internal/x", "a~b"] {
            assert!(check_import_path(p).is_ok(), "{p}");
        }
        for p in ["", "-a", "a//b", "a/", "a/../b", "a/b.", "a b", "a/b\\c", "é", "a/nul", "a/b~12"] {
            assert!(check_import_path(p).is_err(), "{p}");
        }
        assert_eq!(
            check_import_path("a b").unwrap_err().to_string(),
            r#"malformed import path "a b": invalid char ' '"#
        );
        assert!(check_file_path("a b/é.go").is_ok());
        assert!(check_file_path("-x").is_ok());
        assert!(check_file_path("a/\u{300}").is_err());
    }

    #[test]
    fn path_majors() {
        assert_eq!(split_path_version("m.com/x/v2"), Some(("m.com/x", "/v2")));
        assert_eq!(split_path_version("m.com/x"), Some(("m.com/x", "")));
        assert_eq!(split_path_version("m.com/x/v1"), None);
        assert_eq!(split_path_version("m.com/x/v02"), None);
        assert_eq!(split_path_version("gopkg.in/yaml.v2"), Some(("gopkg.in/yaml", ".v2")));
        assert_eq!(split_path_version("gopkg.in/yaml.v0"), Some(("gopkg.in/yaml", ".v0")));
        assert_eq!(split_path_version("gopkg.in/yaml.v2-unstable"), Some(("gopkg.in/yaml", ".v2-unstable")));
        assert_eq!(split_path_version("gopkg.in/yaml"), None);
        assert!(check_path_major("v1.2.3", "").is_ok());
        assert!(check_path_major("v2.0.0+incompatible", "").is_ok());
        assert!(check_path_major("v2.0.0", "/v2").is_ok());
        assert!(check_path_major("v0.0.0-20200101000000-abcdef123456", ".v1").is_ok());
        assert!(check_path_major("v2.1.0", ".v2-unstable").is_ok());
        assert_eq!(
            check_path_major("v2.0.0", "").unwrap_err().to_string(),
            r#"version "v2.0.0" invalid: should be v0 or v1, not v2"#
        );
        assert_eq!(
            check_path_major("v1.0.0", "/v3").unwrap_err().to_string(),
            r#"version "v1.0.0" invalid: should be v3, not v1"#
        );
        assert_eq!(canonical_version("v2.0.0+incompatible"), "v2.0.0+incompatible");
        assert_eq!(canonical_version("v2.0+meta"), "");
        assert_eq!(canonical_version("v2.0.0+meta"), "v2.0.0");
        assert_eq!(canonical_version("v1"), "v1.0.0");
    }

    #[test]
    fn pseudo_versions() {
        for v in [
            "v0.0.0-20191109021931-daa7c04131f5",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.3-pre.0.20191109021931-daa7c04131f5",
            "v1.2.3-0.20191109021931-daa7c04131f5+incompatible",
            "v2.0.0-20191109021931-daa7c04131f5+incompatible",
        ] {
            assert!(is_pseudo_version(v), "{v}");
        }
        for v in [
            "v1.2.3",
            "v1.2.3-pre",
            "v0.0.0-2019110902193-daa7c04131f5",
            "v1.2.3-20191109021931-daa7c04131f5",
            "v0.0.0-20191109021931-",
            "v1.2.3-pre.20191109021931-daa7c04131f5",
        ] {
            assert!(!is_pseudo_version(v), "{v}");
        }
    }
}
