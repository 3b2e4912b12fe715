//! Go build information (`.go.buildinfo`): what `go version -m` prints.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const MAGIC: &[u8] = b"\xff Go buildinf:";

/// One module: path, version, checksum, and its replacement if any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Module {
    /// Module path.
    pub path: String,
    /// The version as recorded: a release or pseudo-version, `(devel)` for
    /// a main module without one, empty for a replacement by a directory.
    pub version: String,
    /// The go.sum hash (`h1:…`). Empty for the main module, for a module
    /// that is replaced (its replacement carries the hash) and in vendor
    /// builds.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sum: String,
    /// What replaces it (the `=>` line after it), if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replace: Option<Box<Module>>,
}

/// The build information embedded by the go command.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildInfo {
    /// The toolchain that built the binary (`go1.22.3`).
    pub go_version: String,
    /// Import path of the main package.
    pub path: String,
    /// The main module (the `mod` line), if recorded.
    pub main: Option<Module>,
    /// The modules other than the main one that provide packages (the
    /// `dep` lines), in the order recorded.
    pub deps: Vec<Module>,
    /// `build` settings, key and value, in order.
    pub settings: Vec<(String, String)>,
    /// The module-information text as embedded (sentinels removed).
    #[serde(skip)]
    pub raw: String,
}

impl BuildInfo {
    /// The lines `go version -m FILE` prints after `FILE: VERSION`, without
    /// their leading tab.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.path.is_empty() {
            out.push(format!("path\t{}", self.path));
        }
        let module = |word: &str, m: &Module, out: &mut Vec<String>| match &m.replace {
            None => out.push(format!("{word}\t{}\t{}\t{}", m.path, m.version, m.sum)),
            Some(r) => {
                out.push(format!("{word}\t{}\t{}", m.path, m.version));
                out.push(format!("=>\t{}\t{}\t{}", r.path, r.version, r.sum));
            }
        };
        if let Some(m) = &self.main {
            module("mod", m, &mut out);
        }
        for d in &self.deps {
            module("dep", d, &mut out);
        }
        for (k, v) in &self.settings {
            out.push(format!("build\t{}={}", quote_if_needed(k, true), quote_if_needed(v, false)));
        }
        out
    }
}

fn quote_if_needed(s: &str, key: bool) -> String {
    let needs = s.is_empty() && key
        || s.chars().any(|c| c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '`')
        || key && s.contains('=');
    if !needs {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(o) => out.push(o),
            None => {}
        }
    }
    out
}

/// Finds the build-information blob in `data` (a section, or a whole file):
/// the magic on a 16-byte boundary.
pub fn find(data: &[u8]) -> Option<&[u8]> {
    let mut off = 0;
    while off + 32 <= data.len() {
        if &data[off..off + MAGIC.len()] == MAGIC {
            return Some(&data[off..]);
        }
        off += 16;
    }
    None
}

fn uvarint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *data.get(*pos)?;
        *pos += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

fn varint_string<'a>(data: &'a [u8], pos: &mut usize) -> Result<&'a [u8]> {
    let n = uvarint(data, pos).ok_or_else(|| Error::BadBuildInfo("truncated string length".into()))?;
    let n = usize::try_from(n).map_err(|_| Error::BadBuildInfo("string length overflow".into()))?;
    let s = pos
        .checked_add(n)
        .and_then(|end| data.get(*pos..end))
        .ok_or_else(|| Error::BadBuildInfo("string runs past the end of the data".into()))?;
    *pos += n;
    Ok(s)
}

/// Parses the blob starting at the magic (see [`find`]).
pub fn parse(blob: &[u8]) -> Result<BuildInfo> {
    if blob.len() < 32 || &blob[..MAGIC.len()] != MAGIC {
        return Err(Error::BadBuildInfo("missing header".into()));
    }
    let flags = blob[15];
    if flags & 2 == 0 {
        return Err(Error::BadBuildInfo("pre-Go 1.18 layout (strings by pointer) is not supported".into()));
    }
    let mut pos = 32;
    let version = varint_string(blob, &mut pos)?;
    let modinfo = varint_string(blob, &mut pos)?;
    let go_version = String::from_utf8_lossy(version).into_owned();
    // The module text is wrapped in two 16-byte sentinels.
    let mut mi = modinfo;
    if mi.len() >= 33 && mi[mi.len() - 17] == b'\n' {
        mi = &mi[16..mi.len() - 16];
    } else {
        mi = &[];
    }
    let raw = String::from_utf8_lossy(mi).into_owned();
    let mut bi = parse_modinfo(&raw)?;
    bi.go_version = go_version;
    bi.raw = raw;
    Ok(bi)
}

/// Parses the module-information text (the lines `go version -m` shows).
pub fn parse_modinfo(text: &str) -> Result<BuildInfo> {
    let mut bi = BuildInfo::default();
    // Which module the next `=>` line replaces: the main one or the last dep.
    let mut last_is_main = false;
    for (n, line) in text.lines().enumerate() {
        let bad = |what: &str| Error::BadBuildInfo(format!("line {}: {what}: {line:?}", n + 1));
        if line.is_empty() {
            continue;
        }
        let (word, rest) = line.split_once('\t').ok_or_else(|| bad("no tab"))?;
        match word {
            "path" => bi.path = rest.to_string(),
            "mod" | "dep" | "=>" => {
                let f: Vec<&str> = rest.split('\t').collect();
                if f.len() < 2 && word != "mod" {
                    return Err(bad("too few fields"));
                }
                let m = Module {
                    path: f[0].to_string(),
                    version: f.get(1).unwrap_or(&"").to_string(),
                    sum: f.get(2).unwrap_or(&"").to_string(),
                    replace: None,
                };
                match word {
                    "mod" => {
                        bi.main = Some(m);
                        last_is_main = true;
                    }
                    "dep" => {
                        bi.deps.push(m);
                        last_is_main = false;
                    }
                    _ => {
                        let target = if last_is_main { bi.main.as_mut() } else { bi.deps.last_mut() };
                        let target = target.ok_or_else(|| bad("replacement without a module"))?;
                        target.replace = Some(Box::new(m));
                    }
                }
            }
            "build" => {
                let (k, v) = split_setting(rest).ok_or_else(|| bad("setting without '='"))?;
                bi.settings.push((k, v));
            }
            _ => return Err(bad("unknown line")),
        }
    }
    Ok(bi)
}

fn split_setting(s: &str) -> Option<(String, String)> {
    if let Some(rest) = s.strip_prefix('"') {
        // Quoted key: find the closing quote that is not escaped.
        let mut esc = false;
        for (i, c) in rest.char_indices() {
            match c {
                '\\' if !esc => esc = true,
                '"' if !esc => {
                    let key = &s[..i + 2];
                    let val = rest[i + 1..].strip_prefix('=')?;
                    return Some((unquote(key), unquote(val)));
                }
                _ => esc = false,
            }
        }
        return None;
    }
    let (k, v) = s.split_once('=')?;
    Some((k.to_string(), unquote(v)))
}
