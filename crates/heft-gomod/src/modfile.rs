//! go.mod and go.work: directives on top of the shared line syntax.
//!
//! Validation and messages follow the go command's own parser (x/mod's
//! `modfile.Parse` / `ParseWork` with no version fixer, which is what
//! `go mod edit` uses): versions that are valid but not canonical (`v1.2`,
//! `v1.2.3+meta`) are canonicalised, anything else is an error; several
//! errors may be reported for one file, in file order.

use std::path::PathBuf;

use crate::escape::{canonical_version, check_path_major, split_path_version};
// The error type lives below the line syntax, which reports it too; it is
// re-exported here, where it has always been part of the public API.
pub use crate::error::{ParseError, format_errors};
use crate::strconv::{lossy, quote, unquote_double};
use crate::syntax::{self, Line, Pos, Stmt};

/// How strictly to read a go.mod.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode {
    /// A main module's go.mod: unknown directives and blocks are errors.
    #[default]
    Strict,
    /// A dependency's go.mod, as the go command reads those: only
    /// `module`, `go`, `require`, `retract` and `ignore` are looked at,
    /// everything else (including malformed `replace`/`exclude`/`toolchain`)
    /// is skipped, a sloppy `go` version like `1.21.0-foo` is cut to
    /// `1.21`, and malformed `retract` lines are dropped silently.
    Lax,
}

/// A parsed go.mod. Paths and versions are as the go command keeps them
/// (versions canonicalised); directives it would drop are not here.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModFile {
    /// The module path; `None` without a module directive.
    pub module: Option<String>,
    /// Line of the module directive (0 when there is none).
    pub module_line: u32,
    /// Language version from the `go` line, e.g. "1.22" or "1.26.7".
    pub go: Option<String>,
    /// The `toolchain` line, e.g. "go1.26.1".
    pub toolchain: Option<String>,
    /// `require` directives, in file order.
    pub requires: Vec<Require>,
    /// `replace` directives, in file order.
    pub replaces: Vec<Replace>,
    /// `exclude` directives, in file order.
    pub excludes: Vec<Exclude>,
    /// Package paths of `tool` directives.
    pub tools: Vec<String>,
    /// Directories of `ignore` directives, as written.
    pub ignores: Vec<String>,
    /// `godebug` settings, in file order.
    pub godebugs: Vec<Godebug>,
    /// `retract` directives, in file order.
    pub retracts: Vec<Retract>,
}

/// A `require` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Require {
    /// Module path.
    pub path: String,
    /// Canonical semantic version.
    pub version: String,
    /// The line carries a `// indirect` comment.
    pub indirect: bool,
    /// 1-based line of the requirement.
    pub line: u32,
}

/// A `replace` directive: `old_path [old_version] => new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replace {
    /// Module path being replaced.
    pub old_path: String,
    /// `None` replaces every version of `old_path`.
    pub old_version: Option<String>,
    /// What it is replaced by.
    pub new: ReplaceTarget,
    /// 1-based line of the directive.
    pub line: u32,
}

/// The right-hand side of a `replace` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplaceTarget {
    /// Another module version, from the module cache.
    Module {
        /// Module path.
        path: String,
        /// Canonical version.
        version: String,
    },
    /// A directory, as written (relative to the file's directory unless
    /// absolute); its bytes kept whole, so that a name that is not UTF-8
    /// still names the directory.
    Dir(PathBuf),
}

/// An `exclude` directive: this version of the module is never selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclude {
    /// Module path.
    pub path: String,
    /// Canonical version.
    pub version: String,
    /// 1-based line of the directive.
    pub line: u32,
}

/// A `godebug key=value` setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Godebug {
    /// Setting name.
    pub key: String,
    /// Setting value.
    pub value: String,
    /// 1-based line of the setting.
    pub line: u32,
}

/// A retracted version or closed interval `[low, high]`. Versions are kept
/// as written: the go command only canonicalises them when it resolves
/// them against the module's versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retract {
    /// Lowest retracted version.
    pub low: String,
    /// Highest retracted version (`low` for a single version).
    pub high: String,
    /// 1-based line of the retraction.
    pub line: u32,
}

/// A parsed go.work.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkFile {
    /// The `go` line's version.
    pub go: Option<String>,
    /// The `toolchain` line.
    pub toolchain: Option<String>,
    /// `use` directives: the workspace's module directories.
    pub uses: Vec<Use>,
    /// `replace` directives; they win over those of the modules.
    pub replaces: Vec<Replace>,
    /// `godebug` settings.
    pub godebugs: Vec<Godebug>,
}

/// A `use` directive of go.work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// Module directory, as written (relative to go.work's directory
    /// unless absolute).
    pub dir: PathBuf,
    /// 1-based line of the directive.
    pub line: u32,
}

/// Parses a main module's go.mod; returns the first error.
pub fn parse_go_mod(text: &[u8]) -> Result<ModFile, ParseError> {
    parse_go_mod_all(text, Mode::Strict).map_err(first)
}

/// Parses a dependency's go.mod the way the go command does (see
/// [`Mode::Lax`]); returns the first error.
pub fn parse_go_mod_lax(text: &[u8]) -> Result<ModFile, ParseError> {
    parse_go_mod_all(text, Mode::Lax).map_err(first)
}

/// Parses a go.work; returns the first error.
pub fn parse_go_work(text: &[u8]) -> Result<WorkFile, ParseError> {
    parse_go_work_all(text).map_err(first)
}

fn first(mut errs: Vec<ParseError>) -> ParseError {
    errs.swap_remove(0)
}

fn err_at(pos: Pos, msg: impl Into<String>) -> ParseError {
    ParseError { line: pos.line, col: pos.col, msg: msg.into() }
}

/// Parses a go.mod, reporting every error the go command would (a syntax
/// error stops parsing; directive errors accumulate). Never empty on `Err`.
pub fn parse_go_mod_all(text: &[u8], mode: Mode) -> Result<ModFile, Vec<ParseError>> {
    let stmts = syntax::parse(text).map_err(|e| vec![e])?;
    let strict = mode == Mode::Strict;
    let mut f = ModFile::default();
    let mut errs = Vec::new();
    for stmt in &stmts {
        match stmt {
            Stmt::Comments(_) => {}
            Stmt::Line(l) => {
                if let Err(msg) = add_mod(&mut f, l, l.tokens[0], &l.tokens[1..], strict) {
                    errs.push(err_at(l.start, msg));
                }
            }
            Stmt::Block(b) => {
                let known = b.header.len() == 1
                    && matches!(
                        b.header[0],
                        b"module"
                            | b"godebug"
                            | b"require"
                            | b"exclude"
                            | b"replace"
                            | b"retract"
                            | b"tool"
                            | b"ignore"
                    );
                if !known {
                    if strict {
                        errs.push(err_at(b.start, format!("unknown block type: {}", join(&b.header))));
                    }
                    continue;
                }
                for l in &b.lines {
                    if let Err(msg) = add_mod(&mut f, l, b.header[0], &l.tokens, strict) {
                        errs.push(err_at(l.start, msg));
                    }
                }
            }
        }
    }
    if errs.is_empty() { Ok(f) } else { Err(errs) }
}

/// Parses a go.work, reporting every error. Never empty on `Err`.
pub fn parse_go_work_all(text: &[u8]) -> Result<WorkFile, Vec<ParseError>> {
    let stmts = syntax::parse(text).map_err(|e| vec![e])?;
    let mut f = WorkFile::default();
    let mut errs = Vec::new();
    for stmt in &stmts {
        match stmt {
            Stmt::Comments(_) => {}
            Stmt::Line(l) => {
                if let Err(msg) = add_work(&mut f, l, l.tokens[0], &l.tokens[1..]) {
                    errs.push(err_at(l.start, msg));
                }
            }
            Stmt::Block(b) => {
                let known = b.header.len() == 1 && matches!(b.header[0], b"godebug" | b"use" | b"replace");
                if !known {
                    errs.push(err_at(b.start, format!("unknown block type: {}", join(&b.header))));
                    continue;
                }
                for l in &b.lines {
                    if let Err(msg) = add_work(&mut f, l, b.header[0], &l.tokens) {
                        errs.push(err_at(l.start, msg));
                    }
                }
            }
        }
    }
    if errs.is_empty() { Ok(f) } else { Err(errs) }
}

fn join(toks: &[&[u8]]) -> String {
    toks.iter().map(|t| lossy(t)).collect::<Vec<_>>().join(" ")
}

type DirectiveResult = Result<(), String>;

fn add_mod(f: &mut ModFile, line: &Line<'_>, verb: &[u8], args: &[&[u8]], strict: bool) -> DirectiveResult {
    // Dependencies' go.mod files are read for these only, so newer or
    // main-module-only directives there never break a build.
    if !strict && !matches!(verb, b"go" | b"module" | b"retract" | b"require" | b"ignore") {
        return Ok(());
    }
    let at = line.start.line;
    match verb {
        b"go" => {
            if f.go.is_some() {
                return Err("repeated go statement".into());
            }
            f.go = Some(go_directive(args, strict)?);
        }
        b"toolchain" => {
            if f.toolchain.is_some() {
                return Err("repeated toolchain statement".into());
            }
            f.toolchain = Some(toolchain_directive(args)?);
        }
        b"module" => {
            if f.module.is_some() {
                return Err("repeated module statement".into());
            }
            // A malformed module line still counts as "the" module line.
            f.module = Some(String::new());
            f.module_line = at;
            if args.len() != 1 {
                return Err("usage: module module/path".into());
            }
            f.module = Some(quoted_arg(args[0])?);
        }
        b"godebug" => f.godebugs.push(godebug_directive(args, at)?),
        b"require" | b"exclude" => {
            let verb = if verb == b"require" { "require" } else { "exclude" };
            if args.len() != 2 {
                return Err(format!("usage: {verb} module/path v1.2.3"));
            }
            let path = quoted_arg(args[0])?;
            let version = parse_version(verb, &path, args[1])?;
            let Some((_, major)) = split_path_version(&path) else {
                return Err("invalid module path".into());
            };
            check_path_major(&version, major).map_err(|e| format!("{}{e}", prefix(verb, &path)))?;
            if verb == "require" {
                let indirect = line.suffix.is_some_and(is_indirect);
                f.requires.push(Require { path, version, indirect, line: at });
            } else {
                f.excludes.push(Exclude { path, version, line: at });
            }
        }
        b"replace" => f.replaces.push(replace_directive(args, at)?),
        b"retract" => match retract_directive(args, at, strict) {
            Ok(Some(r)) => f.retracts.push(r),
            Ok(None) => {}
            Err(e) => return Err(e),
        },
        b"tool" => {
            if args.len() != 1 {
                return Err("tool directive expects exactly one argument".into());
            }
            f.tools.push(quoted_arg(args[0])?);
        }
        b"ignore" => {
            if args.len() != 1 {
                return Err("ignore directive expects exactly one argument".into());
            }
            f.ignores.push(quoted_arg(args[0])?);
        }
        _ => return Err(format!("unknown directive: {}", lossy(verb))),
    }
    Ok(())
}

fn add_work(f: &mut WorkFile, line: &Line<'_>, verb: &[u8], args: &[&[u8]]) -> DirectiveResult {
    let at = line.start.line;
    match verb {
        b"go" => {
            if f.go.is_some() {
                return Err("repeated go statement".into());
            }
            f.go = Some(go_directive(args, true)?);
        }
        b"toolchain" => {
            if f.toolchain.is_some() {
                return Err("repeated toolchain statement".into());
            }
            f.toolchain = Some(toolchain_directive(args)?);
        }
        b"godebug" => f.godebugs.push(godebug_directive(args, at)?),
        b"use" => {
            if args.len() != 1 {
                return Err("usage: use local/dir".into());
            }
            let dir = parse_string(args[0]).map_err(|e| format!("invalid quoted string: {e}"))?;
            f.uses.push(Use { dir: path_from_bytes(&dir), line: at });
        }
        b"replace" => f.replaces.push(replace_directive(args, at)?),
        _ => return Err(format!("unknown directive: {}", lossy(verb))),
    }
    Ok(())
}

fn go_directive(args: &[&[u8]], strict: bool) -> Result<String, String> {
    if args.len() != 1 {
        return Err("go directive expects exactly one argument".into());
    }
    let v = args[0];
    if is_go_version_syntax(v) {
        return Ok(lossy(v));
    }
    if let Some(fixed) = lax_go_version(v).filter(|_| !strict) {
        return Ok(lossy(fixed));
    }
    Err(format!("invalid go version '{}': must match format 1.23.0", lossy(v)))
}

fn toolchain_directive(args: &[&[u8]]) -> Result<String, String> {
    if args.len() != 1 {
        return Err("toolchain directive expects exactly one argument".into());
    }
    let v = args[0];
    // Deliberately loose so newer toolchain names keep parsing.
    let ok = v == b"default" || v.strip_prefix(b"go1").is_some_and(|r| r.is_empty() || r[0] == b'.');
    if !ok {
        return Err(format!("invalid toolchain version '{}': must match format go1.23.0 or default", lossy(v)));
    }
    Ok(lossy(v))
}

fn godebug_directive(args: &[&[u8]], at: u32) -> Result<Godebug, String> {
    const USAGE: &str = "usage: godebug key=value";
    if args.len() != 1 || args[0].iter().any(|b| matches!(b, b'"' | b'`' | b'\'' | b',')) {
        return Err(USAGE.into());
    }
    let kv = args[0];
    let eq = kv.iter().position(|&b| b == b'=').ok_or(USAGE)?;
    Ok(Godebug { key: lossy(&kv[..eq]), value: lossy(&kv[eq + 1..]), line: at })
}

fn replace_directive(args: &[&[u8]], at: u32) -> Result<Replace, String> {
    let arrow = if args.len() >= 2 && args[1] == b"=>" { 1 } else { 2 };
    if args.len() < arrow + 2 || args.len() > arrow + 3 || args[arrow] != b"=>" {
        return Err("usage: replace module/path [v1.2.3] => other/module v1.4\n\t or replace module/path [v1.2.3] => ../local/directory".into());
    }
    let old_path = quoted_arg(args[0])?;
    let Some((_, major)) = split_path_version(&old_path) else {
        return Err(format!("replace {old_path}: invalid module path"));
    };
    let mut old_version = None;
    if arrow == 2 {
        let v = parse_version("replace", &old_path, args[1])?;
        check_path_major(&v, major).map_err(|e| format!("{}{e}", prefix("replace", &old_path)))?;
        old_version = Some(v);
    }
    // Kept as bytes too: the go command quotes the raw bytes in messages.
    let new_raw = parse_string(args[arrow + 1]).map_err(|e| format!("invalid quoted string: {e}"))?;
    let new_path = lossy(&new_raw);
    let new = if args.len() == arrow + 2 {
        if !is_directory_path(&new_path) {
            if new_path.contains('@') {
                return Err("replacement module must match format 'path version', not 'path@version'".into());
            }
            return Err(
                "replacement module without version must be directory path (rooted or starting with . or ..)".into()
            );
        }
        if std::path::MAIN_SEPARATOR == '/' && new_path.contains('\\') {
            return Err("replacement directory appears to be Windows path (on a non-windows system)".into());
        }
        ReplaceTarget::Dir(path_from_bytes(&new_raw))
    } else {
        let version = parse_version("replace", &new_path, args[arrow + 2])?;
        if is_directory_path(&new_path) {
            return Err(format!("replacement module directory path {} cannot have version", quote(&new_raw)));
        }
        ReplaceTarget::Module { path: new_path, version }
    };
    Ok(Replace { old_path, old_version, new, line: at })
}

/// `Ok(None)` is a malformed retract that lax mode drops.
fn retract_directive(args: &[&[u8]], at: u32, strict: bool) -> Result<Option<Retract>, String> {
    match version_interval(args) {
        Ok((low, high, used)) => {
            if used < args.len() && strict {
                return Err(format!("unexpected token after version: {}", quote(args[used])));
            }
            Ok(Some(Retract { low, high, line: at }))
        }
        Err(e) if strict => Err(e),
        Err(_) => Ok(None),
    }
}

/// `v` or `[ low , high ]`; returns the bounds and how many tokens they took.
fn version_interval(args: &[&[u8]]) -> Result<(String, String, usize), String> {
    // Retracted versions are only unquoted here; the go command checks them
    // against the module path later.
    let version = |tok: &[u8]| -> Result<String, String> {
        parse_string(tok).map(|v| lossy(&v)).map_err(|e| format!("retract: version {} invalid: {e}", quote(tok)))
    };
    match args.first() {
        None | Some(&b"(") => return Err("expected '[' or version".into()),
        Some(&b"[") => {}
        Some(v) => {
            let v = version(v)?;
            return Ok((v.clone(), v, 1));
        }
    }
    let low = version(args.get(1).ok_or("expected version after '['")?)?;
    if args.get(2) != Some(&&b","[..]) {
        return Err("expected ',' after version".into());
    }
    let high = version(args.get(3).ok_or("expected version after ','")?)?;
    if args.get(4) != Some(&&b"]"[..]) {
        return Err("expected ']' after version".into());
    }
    Ok((low, high, 5))
}

/// `// indirect` or `// indirect; other text`.
fn is_indirect(comment: &[u8]) -> bool {
    let text = lossy(comment.strip_prefix(b"//").unwrap_or(comment));
    let mut fields = text.split_whitespace();
    matches!((fields.next(), fields.next()), (Some("indirect"), None) | (Some("indirect;"), Some(_)))
}

/// The "verb path: " context the go command puts before version errors.
fn prefix(verb: &str, path: &str) -> String {
    if path.is_empty() { format!("{verb}: ") } else { format!("{verb} {path}: ") }
}

/// A token's value: `"…"` is unquoted; other quote characters are reserved
/// (so a backquoted token is an error, as with the go command).
fn parse_string(tok: &[u8]) -> Result<Vec<u8>, &'static str> {
    if tok.first() == Some(&b'"') {
        return unquote_double(tok).ok_or("invalid syntax");
    }
    if tok.iter().any(|b| matches!(b, b'"' | b'\'' | b'`')) {
        return Err("unquoted string cannot contain quote");
    }
    Ok(tok.to_vec())
}

/// A path from a go.mod or go.work string's bytes: on Unix any bytes name
/// a file; elsewhere names are Unicode and invalid bytes are replaced.
pub fn path_from_bytes(b: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b).into()
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(b).into_owned())
    }
}

fn quoted_arg(tok: &[u8]) -> Result<String, String> {
    parse_string(tok).map(|v| lossy(&v)).map_err(|e| format!("invalid quoted string: {e}"))
}

fn parse_version(verb: &str, path: &str, tok: &[u8]) -> Result<String, String> {
    let raw = parse_string(tok).map_err(|e| format!("{}version {} invalid: {e}", prefix(verb, path), quote(tok)))?;
    let text = lossy(&raw);
    let canon = canonical_version(&text);
    if canon.is_empty() {
        return Err(format!("{}version {} invalid: must be of the form v1.2.3", prefix(verb, path), quote(&raw)));
    }
    Ok(canon)
}

/// Whether a replacement target names a directory rather than a module:
/// `.`/`..` prefixes or a rooted path, in Unix or Windows spelling, since
/// go.mod files travel between systems.
pub fn is_directory_path(p: &str) -> bool {
    let b = p.as_bytes();
    p == "."
        || p == ".."
        || p.starts_with("./")
        || p.starts_with(".\\")
        || p.starts_with("../")
        || p.starts_with("..\\")
        || p.starts_with('/')
        || p.starts_with('\\')
        || (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
}

fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// A decimal with no leading zero; returns its length.
fn decimal(s: &[u8]) -> Option<usize> {
    match digits(s) {
        0 => None,
        n if s[0] == b'0' && n > 1 => None,
        n => Some(n),
    }
}

/// A major version: a decimal that does not start with 0 at all.
fn major_decimal(s: &[u8]) -> Option<usize> {
    if s.first() == Some(&b'0') { None } else { decimal(s) }
}

/// The go line syntax: `1.N`, `1.N.P`, optionally with a prerelease like
/// `rc1` (`N.N[.N][letters digits]`, no leading zeros, major not 0).
pub fn is_go_version_syntax(v: &[u8]) -> bool {
    let Some(n) = major_decimal(v) else {
        return false;
    };
    let rest = &v[n..];
    let Some(rest) = rest.strip_prefix(b".") else {
        return false;
    };
    let Some(n) = decimal(rest) else { return false };
    let mut rest = &rest[n..];
    if let Some(r) = rest.strip_prefix(b".") {
        let Some(n) = decimal(r) else { return false };
        rest = &r[n..];
    }
    if rest.is_empty() {
        return true;
    }
    let letters = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
    let nums = digits(&rest[letters..]);
    letters > 0 && nums > 0 && letters + nums == rest.len()
}

/// The lenient reading of a dependency's go line: `[v]MAJOR.MINOR`
/// followed by anything that starts with a non-digit (on one line) is
/// taken as `MAJOR.MINOR`.
fn lax_go_version(v: &[u8]) -> Option<&[u8]> {
    let v = v.strip_prefix(b"v").unwrap_or(v);
    let n1 = major_decimal(v)?;
    if v.get(n1) != Some(&b'.') {
        return None;
    }
    let n2 = digits(&v[n1 + 1..]);
    if n2 == 0 || (v[n1 + 1] == b'0' && n2 > 1) {
        return None;
    }
    let end = n1 + 1 + n2;
    let rest = &v[end..];
    if rest.is_empty() || rest.contains(&b'\n') {
        return None;
    }
    Some(&v[..end])
}

#[cfg(test)]
mod tests;
