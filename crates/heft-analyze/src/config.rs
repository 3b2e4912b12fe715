//! heft.toml: the budgets and rules `heft check` enforces.
//!
//! ```toml
//! [[binary]]
//! root = "./cmd/agent"        # a main package, or a pattern (./cmd/...)
//! packages = 120              # linked packages, at most
//! init-heap = "2 MiB"         # live heap at the end of init (measured)
//! init-allocs = 20000         # allocations up to the end of init (measured)
//! binary-size = "40 MB"       # bytes of the built binary (measured)
//! tolerance = "10%"           # measured figures may exceed their budget by this much
//!
//! [[forbid]]
//! packages = ["testing/...", "net/http/httptest"]
//! modules = ["cloud.google.com/go"]
//! reason = "test code has no place in a production binary"
//! use-instead = "a fake in a _test.go file"
//! binaries = ["./cmd/..."]    # the rule's scope (default: every binary checked)
//!
//! [[allow]]
//! package = "testing"
//! binaries = ["./cmd/selftest"]
//! reason = "the self-test binary runs tests by design"
//! ```

use std::path::{Path, PathBuf};

use heft_load::{PkgId, Program};
use serde::Deserialize;
use toml::Spanned;

/// The measured figures' default tolerance: 5%.
pub const DEFAULT_TOLERANCE: f64 = 0.05;

/// A heft.toml that could not be read, at the place it went wrong.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}:{col}: {message}", file.display())]
pub struct ConfigError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong, with the valid choices.
    pub message: String,
}

/// The budgets and rules of heft.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Budgets, per binary.
    #[serde(default)]
    pub binary: Vec<Budget>,
    /// Packages binaries must not link.
    #[serde(default)]
    pub forbid: Vec<Forbid>,
    /// Exceptions to the forbid rules.
    #[serde(default)]
    pub allow: Vec<Allow>,
    /// The directory the file is in: relative roots start there.
    #[serde(skip)]
    pub dir: PathBuf,
}

/// The budgets of the binaries a root pattern names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Budget {
    /// The binaries: `./dir`, `./dir/...`, an import path or `path/...`.
    pub root: Spanned<String>,
    /// Linked packages, at most.
    pub packages: Option<u64>,
    /// Live heap at the end of init, in bytes, at most (measured).
    #[serde(default, deserialize_with = "bytes")]
    pub init_heap: Option<u64>,
    /// Allocations up to the end of init, at most (measured).
    pub init_allocs: Option<u64>,
    /// Bytes of the built binary, at most (measured).
    #[serde(default, deserialize_with = "bytes")]
    pub binary_size: Option<u64>,
    /// How far a measured figure may exceed its budget (a fraction).
    #[serde(default, deserialize_with = "percent")]
    pub tolerance: Option<f64>,
}

impl Budget {
    /// Whether checking it needs `heft measure`.
    pub fn needs_measurement(&self) -> bool {
        self.init_heap.is_some() || self.init_allocs.is_some() || self.binary_size.is_some()
    }
}

/// Packages the binaries in scope must not link.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Forbid {
    /// Import paths, or `prefix/...` for a path and everything under it.
    #[serde(default)]
    pub packages: Vec<Spanned<String>>,
    /// Module paths: every package of the module.
    #[serde(default)]
    pub modules: Vec<Spanned<String>>,
    /// Why, shown with every violation.
    pub reason: String,
    /// What to use instead, when there is a known answer.
    pub use_instead: Option<String>,
    /// The binaries the rule applies to (default: all).
    #[serde(default)]
    pub binaries: Vec<Spanned<String>>,
}

/// An exception to the forbid rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Allow {
    /// The package (an import path or `prefix/...`).
    pub package: Spanned<String>,
    /// The binaries it is allowed in (default: all).
    #[serde(default)]
    pub binaries: Vec<Spanned<String>>,
    /// Why it is allowed.
    pub reason: String,
}

/// Bytes: an integer, or a string with a unit (`512`, `"64 kB"`, `"2 MiB"`).
fn bytes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Int(n) => Ok(Some(n)),
        Raw::Text(s) => parse_bytes(&s).map(Some).map_err(serde::de::Error::custom),
    }
}

/// Parses `"2 MiB"`, `"40MB"`, `"512 B"`, `"1024"`.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (number, unit) = (&s[..split], s[split..].trim());
    let scale: u64 = match unit {
        "" | "B" => 1,
        "kB" | "KB" | "k" => 1_000,
        "MB" | "M" => 1_000_000,
        "GB" | "G" => 1_000_000_000,
        "KiB" => 1 << 10,
        "MiB" => 1 << 20,
        "GiB" => 1 << 30,
        _ => {
            return Err(format!("{s:?}: unknown unit {unit:?} (use B, kB, MB, GB, KiB, MiB or GiB, e.g. \"2 MiB\")"));
        }
    };
    let value: f64 = number.parse().map_err(|_| format!("{s:?}: not a size (e.g. 512, \"64 kB\", \"2 MiB\")"))?;
    let bytes = value * scale as f64;
    if !bytes.is_finite() || bytes > u64::MAX as f64 {
        return Err(format!("{s:?}: too large"));
    }
    Ok(bytes.round() as u64)
}

/// A tolerance: `"10%"`.
fn percent<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let s = String::deserialize(d)?;
    let value = s.trim().strip_suffix('%').and_then(|n| n.trim().parse::<f64>().ok());
    match value {
        Some(p) if (0.0..=1000.0).contains(&p) => Ok(Some(p / 100.0)),
        _ => Err(serde::de::Error::custom(format!("{s:?}: a tolerance is a percentage, e.g. \"10%\""))),
    }
}

impl Config {
    /// Reads heft.toml from `text` (`file` is named in errors).
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let at = |span: Option<std::ops::Range<usize>>, message: String| {
            let (line, col) = line_col(text, span.map_or(0, |s| s.start));
            ConfigError { file: file.to_path_buf(), line, col, message }
        };
        let mut config: Config = toml::from_str(text).map_err(|e| at(e.span(), e.message().to_string()))?;
        config.dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        for f in &config.forbid {
            if f.packages.is_empty() && f.modules.is_empty() {
                return Err(at(None, "a [[forbid]] rule names no `packages` and no `modules`".to_string()));
            }
        }
        let patterns = config
            .binary
            .iter()
            .map(|b| &b.root)
            .chain(config.forbid.iter().flat_map(|f| f.packages.iter().chain(&f.modules).chain(&f.binaries)))
            .chain(config.allow.iter().flat_map(|a| std::iter::once(&a.package).chain(&a.binaries)));
        for p in patterns {
            if let Err(why) = check_pattern(p.get_ref()) {
                return Err(at(Some(p.span()), why));
            }
        }
        Ok(config)
    }

    /// Reads heft.toml from a file.
    pub fn read(file: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(file).map_err(|e| ConfigError {
            file: file.to_path_buf(),
            line: 1,
            col: 1,
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(&text, file)
    }

    /// The roots heft check loads when none are named: every budget's.
    pub fn roots(&self) -> Vec<String> {
        let mut roots: Vec<String> = self.binary.iter().map(|b| b.root.get_ref().clone()).collect();
        roots.dedup();
        roots
    }
}

fn check_pattern(p: &str) -> Result<(), String> {
    let body = p.strip_suffix("/...").unwrap_or(p);
    if p.is_empty() || p.chars().any(char::is_whitespace) {
        return Err(format!("{p:?}: not a package pattern (an import path, ./dir, or either with /...)"));
    }
    if body.contains("...") {
        return Err(format!("{p:?}: `...` may only end a pattern, as in \"cloud.google.com/go/...\""));
    }
    Ok(())
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Whether a root (or any linked package) matches a pattern of heft.toml:
/// `./dir` and `./dir/...` relative to `base`, or an import path and
/// `path/...`.
pub fn matches(prog: &Program, id: PkgId, pattern: &str, base: &Path) -> bool {
    let p = prog.package(id);
    let (body, under) = match pattern.strip_suffix("/...") {
        Some(b) => (b, true),
        None => (pattern, false),
    };
    if body == "." || body.starts_with("./") || body.starts_with("../") {
        let want = base.join(body);
        let want = want.canonicalize().unwrap_or(want);
        let dir = p.dir.canonicalize().unwrap_or_else(|_| p.dir.clone());
        return if under { dir.starts_with(&want) } else { dir == want };
    }
    p.path == body || (under && p.path.strip_prefix(body).is_some_and(|rest| rest.starts_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(text, Path::new("heft.toml")).map_err(|e| e.to_string())
    }

    #[test]
    fn sizes_take_the_units_users_write() {
        assert_eq!(parse_bytes("512"), Ok(512));
        assert_eq!(parse_bytes("64 kB"), Ok(64_000));
        assert_eq!(parse_bytes("2 MiB"), Ok(2 << 20));
        assert_eq!(parse_bytes("1.5GB"), Ok(1_500_000_000));
        assert!(parse_bytes("2 mb").unwrap_err().contains("unknown unit"));
    }

    #[test]
    fn a_whole_file_reads() {
        let c = parse(
            "[[binary]]\nroot = \"./cmd/agent\"\npackages = 120\ninit-heap = \"2 MiB\"\ntolerance = \"10%\"\n\n\
             [[forbid]]\npackages = [\"testing/...\"]\nreason = \"test code\"\nbinaries = [\"./cmd/...\"]\n\n\
             [[allow]]\npackage = \"testing\"\nbinaries = [\"./cmd/selftest\"]\nreason = \"by design\"\n",
        )
        .unwrap();
        assert_eq!(c.binary[0].init_heap, Some(2 << 20));
        assert_eq!(c.binary[0].tolerance, Some(0.1));
        assert!(c.binary[0].needs_measurement());
        assert_eq!(c.roots(), ["./cmd/agent"]);
        assert_eq!(c.forbid[0].packages[0].get_ref(), "testing/...");
    }

    #[test]
    fn mistakes_are_named_at_their_place() {
        let e = parse("[[binary]]\nroot = \"./cmd/agent\"\npackagez = 3\n").unwrap_err();
        assert!(e.starts_with("heft.toml:3:1: unknown field `packagez`, expected one of"), "{e}");
        let e = parse("[[binary]]\nroot = \"./cmd/agent\"\npackages = \"many\"\n").unwrap_err();
        assert!(e.starts_with("heft.toml:3:12: invalid type"), "{e}");
        let e = parse("[[binary]]\nroot = \"./cmd/agent\"\ninit-heap = \"2 parsecs\"\n").unwrap_err();
        assert!(e.starts_with("heft.toml:3:13:") && e.contains("use B, kB, MB"), "{e}");
        let e = parse("[[forbid]]\npackages = [\"cloud/.../x\"]\nreason = \"r\"\n").unwrap_err();
        assert!(e.starts_with("heft.toml:2:13:") && e.contains("may only end a pattern"), "{e}");
        let e = parse("[[forbid]]\nreason = \"r\"\n").unwrap_err();
        assert!(e.contains("names no `packages` and no `modules`"), "{e}");
        let e = parse("[[binary]]\nroot = \"./x\"\ntolerance = \"ten\"\n").unwrap_err();
        assert!(e.starts_with("heft.toml:3:13:") && e.contains("percentage"), "{e}");
    }
}
