//! Attribution of retained heap to packages from heap-profile stacks.
//!
//! Rules (also in docs/json.md):
//! - a function name's package is everything up to the first `.` after the
//!   last `/` (generic instantiations `[...]` cut first; `%2e` unescaped);
//! - **allocated by**: the package of the innermost frame that is not in the
//!   runtime (`runtime`, `runtime/internal/...`, `internal/runtime/...`); a
//!   stack entirely in the runtime is charged to `runtime`;
//! - **during init of**: the package of the outermost frame that is a package
//!   initializer, `P.init` or `P.init.N` (`P.init.funcN` closures are not: the
//!   initializer that called them is on the stack too); a stack without one
//!   (the runtime's own start-up, goroutines started by an init) is charged
//!   to [`NO_INIT`], or to [`TRUNCATED`] when the stack was cut at the
//!   profile's 32 frames (the initializer was further up).

use std::collections::BTreeMap;

use crate::parse::ProbeRecord;

/// The key for retained heap allocated outside any package initializer.
pub const NO_INIT: &str = "(no init frame)";

/// The key for retained heap whose stack was cut before any initializer.
pub const TRUNCATED: &str = "(stack truncated)";

/// Splits a Go function name into its (escaped) package and the rest, which
/// starts at the `.` after the package.
fn split_func(func: &str) -> Option<(&str, &str)> {
    let name = func.split('[').next().unwrap_or(func);
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let dot = name[slash..].find('.')? + slash;
    (dot > 0).then(|| (&name[..dot], &name[dot..]))
}

/// The package of a Go function name as runtime.Frame.Function prints it.
pub fn package_of(func: &str) -> Option<String> {
    split_func(func).map(|(p, _)| p.replace("%2e", "."))
}

/// Whether the package is part of the runtime for "allocated by".
pub fn is_runtime(pkg: &str) -> bool {
    pkg == "runtime" || pkg.starts_with("runtime/internal/") || pkg.starts_with("internal/runtime/")
}

/// The package whose initializer `func` is (`P.init` or `P.init.N`).
pub fn init_package(func: &str) -> Option<String> {
    let (pkg, rest) = split_func(func)?;
    let tail = rest.strip_prefix(".init")?;
    let numbered = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    (tail.is_empty() || tail.strip_prefix('.').is_some_and(numbered)).then(|| pkg.replace("%2e", "."))
}

/// Retained heap charged to one package.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retained {
    /// Bytes still live at the end of init.
    pub bytes: u64,
    /// Objects still live at the end of init.
    pub objects: u64,
}

/// Retained heap per package, both ways.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// By the package of the innermost frame outside the runtime.
    pub allocated_by: BTreeMap<String, Retained>,
    /// By the package whose initializer is outermost on the stack, else
    /// [`NO_INIT`] or [`TRUNCATED`].
    pub during_init_of: BTreeMap<String, Retained>,
}

/// Charges every in-use record to its packages.
pub fn attribute(records: &[ProbeRecord]) -> Attribution {
    let mut a = Attribution::default();
    for r in records {
        let bytes = r.inuse_bytes.max(0) as u64;
        let objects = r.inuse_objects.max(0) as u64;
        if bytes == 0 && objects == 0 {
            continue;
        }
        let by = r
            .frames
            .iter()
            .filter_map(|f| package_of(f))
            .find(|p| !is_runtime(p))
            .unwrap_or_else(|| "runtime".to_string());
        let during = r.frames.iter().rev().find_map(|f| init_package(f)).unwrap_or_else(|| {
            let cut = r.max_depth > 0 && r.depth >= r.max_depth;
            (if cut { TRUNCATED } else { NO_INIT }).to_string()
        });
        for (map, key) in [(&mut a.allocated_by, by), (&mut a.during_init_of, during)] {
            let e = map.entry(key).or_default();
            e.bytes = e.bytes.saturating_add(bytes);
            e.objects = e.objects.saturating_add(objects);
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_of_functions() {
        assert_eq!(package_of("runtime.makeslice").as_deref(), Some("runtime"));
        assert_eq!(package_of("example.com/a/b.(*T).M").as_deref(), Some("example.com/a/b"));
        assert_eq!(package_of("gopkg.in/yaml%2ev3.init.0").as_deref(), Some("gopkg.in/yaml.v3"));
        assert_eq!(package_of("a/b.F[go.shape.struct { X a/c.T }]").as_deref(), Some("a/b"));
        assert_eq!(package_of("main.init").as_deref(), Some("main"));
        assert_eq!(package_of("nodot"), None);
        assert_eq!(init_package("a/b.init").as_deref(), Some("a/b"));
        assert_eq!(init_package("a/b.init.2").as_deref(), Some("a/b"));
        assert_eq!(init_package("gopkg.in/yaml%2ev3.init.0").as_deref(), Some("gopkg.in/yaml.v3"));
        assert_eq!(init_package("a/b.init.func1"), None);
        assert_eq!(init_package("a/b.initTable"), None);
        assert!(is_runtime("internal/runtime/maps"));
    }

    #[test]
    fn attribution_both_ways() {
        let rec = |b, f: &[&str]| ProbeRecord {
            inuse_bytes: b,
            inuse_objects: i64::from(b > 0),
            frames: f.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        };
        let a = attribute(&[
            rec(100, &["runtime.makeslice", "x/tz.build", "x/tz.init", "runtime.doInit1", "runtime.main"]),
            rec(7, &["runtime.newobject", "regexp.compile", "x/pol.init", "runtime.doInit1"]),
            rec(5, &["runtime.malg", "runtime.newproc1"]),
            rec(0, &["x/none.init"]),
            ProbeRecord { depth: 32, max_depth: 32, ..rec(3, &["runtime.newobject", "encoding/json.f"]) },
        ]);
        assert_eq!(a.during_init_of[TRUNCATED].bytes, 3);
        assert_eq!(a.allocated_by["encoding/json"].bytes, 3);
        assert_eq!(a.allocated_by["x/tz"].bytes, 100);
        assert_eq!(a.allocated_by["regexp"].bytes, 7);
        assert_eq!(a.allocated_by["runtime"].bytes, 5);
        assert_eq!(a.during_init_of["x/pol"].bytes, 7);
        assert_eq!(a.during_init_of[NO_INIT].bytes, 5);
        assert!(!a.during_init_of.contains_key("x/none"));
    }
}
