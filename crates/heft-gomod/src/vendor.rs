//! `vendor/modules.txt`, read as leniently as the go command reads it:
//! lines it does not understand are skipped, never rejected.
//!
//! ```text
//! # example.com/a v1.2.3                       module header
//! # example.com/b v1.0.0 => ../b               replaced by a directory
//! # example.com/c v1.0.0 => example.com/d v1.1.0
//! # example.com/e => ../e                      replacement of all versions
//! ## explicit; go 1.21                         annotations for the module above
//! example.com/a/pkg                            a vendored package
//! ```

use std::collections::HashMap;

use crate::error::ParseError;
use crate::escape::check_import_path;
use crate::modfile::ReplaceTarget;
use crate::semver::is_valid_version;
use crate::strconv::lossy;

/// A parsed vendor/modules.txt: what `go mod vendor` recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModulesTxt {
    /// In order of first appearance; repeated headers for the same module
    /// and version are merged into one entry, as the go command keys them.
    pub modules: Vec<VendoredModule>,
}

/// One module of modules.txt, from its `# path version` header and the
/// lines under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VendoredModule {
    /// Module path.
    pub path: String,

    /// Empty for a `# path => …` line, which replaces every version.
    pub version: String,
    /// `=> dir` (no version) is [`ReplaceTarget::Dir`]; `=> path version`
    /// is [`ReplaceTarget::Module`]. Replacements of another shape are
    /// ignored, as the go command ignores them.
    pub replacement: Option<ReplaceTarget>,
    /// `## explicit`: required directly by a main module's go.mod.
    pub explicit: bool,
    /// `## go 1.N`: the module's go version.
    pub go_version: Option<String>,
    /// Vendored packages listed under the module, in order.
    pub packages: Vec<String>,
    /// Line of the module's first header.
    pub line: u32,
}

impl VendoredModule {
    /// Whether the module provides packages, which is what puts it in the
    /// build list (header-only entries merely record replacements).
    pub fn provides_packages(&self) -> bool {
        !self.packages.is_empty()
    }
}

fn fields(line: &str) -> Vec<&str> {
    line.split_whitespace().collect()
}

/// Parses vendor/modules.txt. Never fails today (the format is read
/// leniently); the `Result` leaves room for the caller's error path.
pub fn parse_modules_txt(text: &[u8]) -> Result<ModulesTxt, ParseError> {
    let text = lossy(text);
    let mut out = ModulesTxt::default();
    let mut index = HashMap::new();
    // Index of the module the following package and annotation lines
    // belong to; None after an unrecognised header.
    let mut current: Option<usize> = None;
    for (n, line) in text.split('\n').enumerate() {
        let lineno = u32::try_from(n + 1).unwrap_or(u32::MAX);
        if line.starts_with("# ") {
            current = header(&mut out, &mut index, line, lineno);
            continue;
        }
        let Some(idx) = current else { continue };
        if let Some(annotations) = line.strip_prefix("## ") {
            let m = &mut out.modules[idx];
            for entry in annotations.split(';') {
                let entry = entry.trim();
                if entry == "explicit" {
                    m.explicit = true;
                }
                if let Some(v) = entry.strip_prefix("go ") {
                    m.go_version = Some(v.to_string());
                }
                // Other annotations are reserved for future use.
            }
            continue;
        }
        let f = fields(line);
        if f.len() == 1 && check_import_path(f[0]).is_ok() {
            out.modules[idx].packages.push(f[0].to_string());
        }
    }
    Ok(out)
}

/// Records a `# …` line; returns the module it introduces, if any.
fn header(
    out: &mut ModulesTxt,
    index: &mut HashMap<(String, String), usize>,
    line: &str,
    lineno: u32,
) -> Option<usize> {
    let f = fields(line);
    if f.len() < 3 {
        return None;
    }
    let (path, version, rest) = if is_valid_version(f[2]) {
        (f[1], f[2], &f[3..])
    } else if f[2] == "=>" {
        (f[1], "", &f[2..])
    } else {
        return None;
    };
    let key = (path.to_string(), version.to_string());
    let idx = match index.get(&key) {
        Some(&i) => i,
        None => {
            index.insert(key, out.modules.len());
            out.modules.push(VendoredModule {
                path: path.to_string(),
                version: version.to_string(),
                replacement: None,
                explicit: false,
                go_version: None,
                packages: Vec::new(),
                line: lineno,
            });
            out.modules.len() - 1
        }
    };
    if rest.len() >= 2 && rest[0] == "=>" {
        if rest.len() == 2 {
            out.modules[idx].replacement = Some(ReplaceTarget::Dir(rest[1].into()));
        } else if rest.len() == 3 && is_valid_version(rest[2]) {
            out.modules[idx].replacement =
                Some(ReplaceTarget::Module { path: rest[1].to_string(), version: rest[2].to_string() });
        }
    }
    Some(idx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typical() {
        let txt = b"# example.com/a v1.2.3\n## explicit; go 1.21\nexample.com/a\nexample.com/a/sub\n\
# example.com/b v1.0.0 => ../b\n## explicit\nexample.com/b\n\
# example.com/c v1.0.0 => example.com/d v1.1.0\n## go 1.18\nexample.com/c/x\n\
# example.com/e => ../e\n\
# example.com/f v0.1.0\n## explicit; go 1.22; future-thing\n";
        let m = parse_modules_txt(txt).unwrap().modules;
        assert_eq!(m.len(), 5);
        assert_eq!(m[0].path, "example.com/a");
        assert_eq!(m[0].version, "v1.2.3");
        assert!(m[0].explicit);
        assert_eq!(m[0].go_version.as_deref(), Some("1.21"));
        assert_eq!(m[0].packages, ["example.com/a", "example.com/a/sub"]);
        assert_eq!(m[0].line, 1);
        assert_eq!(m[1].replacement, Some(ReplaceTarget::Dir("../b".into())));
        assert_eq!(
            m[2].replacement,
            Some(ReplaceTarget::Module { path: "example.com/d".into(), version: "v1.1.0".into() })
        );
        assert!(!m[2].explicit);
        assert_eq!(m[3].version, "");
        assert_eq!(m[3].replacement, Some(ReplaceTarget::Dir("../e".into())));
        assert!(!m[3].provides_packages());
        assert!(m[4].explicit);
        assert_eq!(m[4].go_version.as_deref(), Some("1.22"));
    }

    #[test]
    fn lenient() {
        let txt = b"garbage\nexample.com/orphan\n# short\n# a.com notaversion\na.com/pkg\n## explicit\n\
# b.com v1.0.0 => weird thing here\n# b.com v1.0.0 => c.com notaversion\nb.com/p\nb.com/a b\n\"q\nb.com/bad path\n\
# b.com v1.0.0\n## explicit\nb.com/q\r\n#nospace\nb.com/r\n";
        let m = parse_modules_txt(txt).unwrap().modules;
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].path, "b.com");
        assert_eq!(m[0].replacement, None);
        assert!(m[0].explicit);
        assert_eq!(m[0].packages, ["b.com/p", "b.com/q", "b.com/r"]);
        assert_eq!(m[0].line, 7);
        assert!(parse_modules_txt(b"").unwrap().modules.is_empty());
        assert!(parse_modules_txt(b"\xff\xfe# \x00").is_ok());
    }
}
