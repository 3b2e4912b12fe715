//! Semantic versions as Go modules use them (a leading `v`, shorthand
//! `v1` / `v1.2` allowed, build metadata ignored when ordering), and the
//! separate ordering of Go toolchain versions like `1.21rc1`.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Parsed<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    /// What a shorthand version lacks: "", ".0" or ".0.0".
    short: &'static str,
    /// Including the leading '-', or "".
    prerelease: &'a str,
    /// Including the leading '+', or "".
    build: &'a str,
}

/// A non-empty decimal without a leading zero, and what follows it.
fn number(s: &str) -> Option<(&str, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || (n > 1 && s.starts_with('0')) {
        return None;
    }
    Some(s.split_at(n))
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Dot-separated non-empty identifiers; numeric ones must not have a
/// leading zero when `numeric_rule` is set (prerelease, not build).
fn identifiers_ok(s: &str, numeric_rule: bool) -> bool {
    s.split('.').all(|id| {
        !id.is_empty()
            && id.bytes().all(is_ident_byte)
            && !(numeric_rule && id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn parse(v: &str) -> Option<Parsed<'_>> {
    let rest = v.strip_prefix('v')?;
    let (major, rest) = number(rest)?;
    let mut p = Parsed { major, minor: "0", patch: "0", short: ".0.0", prerelease: "", build: "" };
    if rest.is_empty() {
        return Some(p);
    }
    let (minor, rest) = number(rest.strip_prefix('.')?)?;
    p.minor = minor;
    p.short = ".0";
    if rest.is_empty() {
        return Some(p);
    }
    let (patch, mut rest) = number(rest.strip_prefix('.')?)?;
    p.patch = patch;
    p.short = "";
    if rest.starts_with('-') {
        let end = rest.find('+').unwrap_or(rest.len());
        let pre = &rest[..end];
        if !identifiers_ok(&pre[1..], true) {
            return None;
        }
        p.prerelease = pre;
        rest = &rest[end..];
    }
    if let Some(build) = rest.strip_prefix('+') {
        if !identifiers_ok(build, false) {
            return None;
        }
        p.build = rest;
        rest = "";
    }
    if !rest.is_empty() {
        return None;
    }
    Some(p)
}

/// Whether `v` is a semantic version in Go's sense (`v1`, `v1.2`,
/// `v1.2.3-pre+build`).
pub fn is_valid_version(v: &str) -> bool {
    parse(v).is_some()
}

/// The full `vMAJOR.MINOR.PATCH[-pre]` form without build metadata, or ""
/// when `v` is invalid.
pub fn canonical(v: &str) -> String {
    let Some(p) = parse(v) else {
        return String::new();
    };
    if !p.build.is_empty() {
        return v[..v.len() - p.build.len()].to_string();
    }
    format!("{v}{}", p.short)
}

/// `vN` of a valid version, or "".
pub fn major(v: &str) -> &str {
    match parse(v) {
        Some(p) => &v[..1 + p.major.len()],
        None => "",
    }
}

/// `vN.M` of a valid version, or "".
pub fn major_minor(v: &str) -> String {
    match parse(v) {
        Some(p) => format!("v{}.{}", p.major, p.minor),
        None => String::new(),
    }
}

/// The `-pre` part of a valid version, or "".
pub fn prerelease(v: &str) -> &str {
    parse(v).map_or("", |p| p.prerelease)
}

/// The `+build` part of a valid version, or "".
pub fn build(v: &str) -> &str {
    parse(v).map_or("", |p| p.build)
}

fn compare_decimal(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    // A release sorts after all of its prereleases.
    if a.is_empty() {
        return Ordering::Greater;
    }
    if b.is_empty() {
        return Ordering::Less;
    }
    let mut xs = a[1..].split('.');
    let mut ys = b[1..].split('.');
    loop {
        match (xs.next(), ys.next()) {
            (Some(x), Some(y)) => {
                if x == y {
                    continue;
                }
                let xn = x.bytes().all(|c| c.is_ascii_digit());
                let yn = y.bytes().all(|c| c.is_ascii_digit());
                return match (xn, yn) {
                    (true, true) => compare_decimal(x, y),
                    (true, false) => Ordering::Less,
                    (false, true) => Ordering::Greater,
                    (false, false) => x.cmp(y),
                };
            }
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (None, None) => return Ordering::Equal,
        }
    }
}

/// Orders module versions like `golang.org/x/mod/semver.Compare`: invalid
/// versions sort before all valid ones and equal to each other; build
/// metadata (so `+incompatible`) is ignored; pseudo-versions order as the
/// prereleases they are.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    match (parse(a), parse(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => compare_decimal(x.major, y.major)
            .then_with(|| compare_decimal(x.minor, y.minor))
            .then_with(|| compare_decimal(x.patch, y.patch))
            .then_with(|| compare_prerelease(x.prerelease, y.prerelease)),
    }
}

/// The larger of two versions in canonical form.
pub fn max_version(a: &str, b: &str) -> String {
    let (a, b) = (canonical(a), canonical(b));
    if compare_versions(&a, &b).is_gt() { a } else { b }
}

/// A Go toolchain/language version such as "1.21", "1.21.3", "1.21rc1"
/// or "1" (no `go` prefix), split into its parts.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct GoVersion<'a> {
    major: &'a str,
    minor: &'a str,
    patch: &'a str,
    /// "", "alpha", "beta", "rc": ordered as strings, which happens to work.
    kind: &'a str,
    pre: &'a str,
}

fn parse_go(v: &str) -> Option<GoVersion<'_>> {
    let (major, rest) = number(v)?;
    let mut g = GoVersion { major, ..Default::default() };
    if rest.is_empty() {
        g.minor = "0";
        g.patch = "0";
        return Some(g);
    }
    let (minor, rest) = number(rest.strip_prefix('.')?)?;
    g.minor = minor;
    if rest.is_empty() {
        // Before 1.21, "1.N" meant the first release "1.N.0"; from 1.21 on
        // it names the language, which sorts before 1.N.0's prereleases.
        if compare_decimal(minor, "21").is_lt() {
            g.patch = "0";
        }
        return Some(g);
    }
    if let Some(p) = rest.strip_prefix('.') {
        let (patch, rest) = number(p)?;
        if !rest.is_empty() {
            return None;
        }
        g.patch = patch;
        return Some(g);
    }
    let letters = rest.bytes().take_while(u8::is_ascii_lowercase).count();
    if letters == 0 {
        return None;
    }
    let (kind, rest) = rest.split_at(letters);
    g.kind = kind;
    if rest.is_empty() {
        return Some(g);
    }
    let (pre, rest) = number(rest)?;
    if !rest.is_empty() {
        return None;
    }
    g.pre = pre;
    Some(g)
}

/// Orders Go versions like the go command's `gover.Compare`
/// ("1.21" < "1.21rc1" < "1.21.0" < "1.21.1"; invalid ones sort first).
pub fn compare_go_versions(a: &str, b: &str) -> Ordering {
    let x = parse_go(a).unwrap_or_default();
    let y = parse_go(b).unwrap_or_default();
    compare_decimal(x.major, y.major)
        .then_with(|| compare_decimal(x.minor, y.minor))
        .then_with(|| compare_decimal(x.patch, y.patch))
        .then_with(|| x.kind.cmp(y.kind))
        .then_with(|| compare_decimal(x.pre, y.pre))
}

/// Whether `v` is a Go version the go command can order.
pub fn is_valid_go_version(v: &str) -> bool {
    parse_go(v).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    #[test]
    fn validity_and_canonical() {
        let cases = [
            ("bad", ""),
            ("v1-alpha.beta.gamma", ""),
            ("v1-pre", ""),
            ("v1+meta", ""),
            ("v1-pre+meta", ""),
            ("v1.2-pre", ""),
            ("v1.2-pre+meta", ""),
            ("v1.0.0-alpha", "v1.0.0-alpha"),
            ("v1.0.0-alpha.1", "v1.0.0-alpha.1"),
            ("v1.0.0-alpha.beta", "v1.0.0-alpha.beta"),
            ("v1.0.0-beta", "v1.0.0-beta"),
            ("v1.0.0-beta.2", "v1.0.0-beta.2"),
            ("v1.0.0-beta.11", "v1.0.0-beta.11"),
            ("v1.0.0-rc.1", "v1.0.0-rc.1"),
            ("v1", "v1.0.0"),
            ("v1.0", "v1.0.0"),
            ("v1.0.0", "v1.0.0"),
            ("v1.2", "v1.2.0"),
            ("v1.2.0", "v1.2.0"),
            ("v1.2.3-456", "v1.2.3-456"),
            ("v1.2.3-456.789", "v1.2.3-456.789"),
            ("v1.2.3-456-789", "v1.2.3-456-789"),
            ("v1.2.3-456a", "v1.2.3-456a"),
            ("v1.2.3-pre", "v1.2.3-pre"),
            ("v1.2.3-pre+meta", "v1.2.3-pre"),
            ("v1.2.3-pre.1", "v1.2.3-pre.1"),
            ("v1.2.3-zzz", "v1.2.3-zzz"),
            ("v1.2.3", "v1.2.3"),
            ("v1.2.3+meta", "v1.2.3"),
            ("v1.2.3+meta-pre", "v1.2.3"),
            ("v1.2.3+meta-pre.sha.256a", "v1.2.3"),
            ("v1.2.3-01", ""),
            ("v1.2.3-1.01", ""),
            ("v1.2.3-0a", "v1.2.3-0a"),
            ("v1.2.3+01", "v1.2.3"),
            ("v01.2.3", ""),
            ("v1.02.3", ""),
            ("v1.2.03", ""),
            ("v1.2.3-", ""),
            ("v1.2.3-a..b", ""),
            ("v1.2.3+", ""),
            ("v1.2.3-a_b", ""),
            ("1.2.3", ""),
            ("", ""),
            ("v", ""),
        ];
        for (v, want) in cases {
            assert_eq!(canonical(v), want, "{v}");
            assert_eq!(is_valid_version(v), !want.is_empty(), "{v}");
        }
    }

    #[test]
    fn ordering() {
        // Ascending, with equal neighbours grouped.
        let list = [
            vec!["bad", "", "v1-pre"],
            vec!["v0.0.0-20180101000000-abcdefabcdef"],
            vec!["v0.0.0"],
            vec!["v1.0.0-alpha"],
            vec!["v1.0.0-alpha.1"],
            vec!["v1.0.0-alpha.beta"],
            vec!["v1.0.0-beta"],
            vec!["v1.0.0-beta.2"],
            vec!["v1.0.0-beta.11"],
            vec!["v1.0.0-rc.1"],
            vec!["v1", "v1.0", "v1.0.0", "v1.0.0+meta"],
            vec!["v1.2.3-0.20190101000000-abcdefabcdef"],
            vec!["v1.2.3"],
            vec!["v1.2.4-0.20190101000000-abcdefabcdef"],
            vec!["v1.10.0"],
            vec!["v2.0.0+incompatible", "v2.0.0"],
            vec!["v10.0.0"],
        ];
        for (i, gi) in list.iter().enumerate() {
            for (j, gj) in list.iter().enumerate() {
                for a in gi {
                    for b in gj {
                        assert_eq!(compare_versions(a, b), i.cmp(&j), "{a} vs {b}");
                    }
                }
            }
        }
        assert_eq!(max_version("v1.2", "v1.1.9"), "v1.2.0");
        assert_eq!(major("v2.3.4"), "v2");
        assert_eq!(major_minor("v2"), "v2.0");
        assert_eq!(prerelease("v1.2.3-pre+b"), "-pre");
        assert_eq!(build("v2.0.0+incompatible"), "+incompatible");
    }

    #[test]
    fn go_versions() {
        let asc = ["", "1", "1.2", "1.20", "1.21", "1.21rc1", "1.21rc2", "1.21.0", "1.21.1", "1.22", "2"];
        for (i, a) in asc.iter().enumerate() {
            for (j, b) in asc.iter().enumerate() {
                assert_eq!(compare_go_versions(a, b), i.cmp(&j), "{a} vs {b}");
            }
        }
        assert_eq!(compare_go_versions("1.20", "1.20.0"), Equal);
        assert_eq!(compare_go_versions("1.21", "1.21.0"), Less);
        assert_eq!(compare_go_versions("1.21alpha", "1.21beta1"), Less);
        assert!(is_valid_go_version("1.21rc1"));
        assert!(!is_valid_go_version("1.21.0rc1"));
        assert!(!is_valid_go_version("go1.21"));
        assert!(!is_valid_go_version("1.021"));
    }
}
