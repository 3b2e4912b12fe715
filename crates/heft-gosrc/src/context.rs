//! The build context: which tags are satisfied, and the per-file decision
//! of whether a Go file belongs to the build.

use crate::constraint::{self, ConstraintError};
use crate::filename::{good_os_arch_file_with, is_unix_os};
use crate::header::{self, Header, HeaderError};

/// What `go list` needs to know about the target: GOOS/GOARCH, cgo and
/// the three tag lists of go/build.Context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildContext {
    /// Target operating system (`GOOS`).
    pub goos: String,
    /// Target architecture (`GOARCH`).
    pub goarch: String,
    /// `CGO_ENABLED`: whether the `cgo` tag is set and files importing "C" build.
    pub cgo_enabled: bool,
    /// `-tags`.
    pub build_tags: Vec<String>,
    /// `goexperiment.*` and architecture-level tags such as `amd64.v1`.
    pub tool_tags: Vec<String>,
    /// `go1.1` .. `go1.N`.
    pub release_tags: Vec<String>,
}

/// Classification of a directory entry by its name alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameMatch {
    /// Not a non-test `.go` file, or hidden (`_x.go`, `.x.go`): never in
    /// GoFiles nor IgnoredGoFiles.
    NotGo,
    /// A `.go` file whose `_GOOS`/`_GOARCH` suffix excludes it
    /// (IgnoredGoFiles).
    Ignored,
    /// Its header must be read to decide.
    Candidate,
}

/// The decision for a candidate file whose header was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileMatch {
    /// Part of the build. A package clause of `documentation` is for the
    /// caller to treat (go list ignores such files).
    Included(Header),
    /// Excluded by its build constraints, or it imports "C" with cgo off
    /// (IgnoredGoFiles).
    Excluded(Header),
}

/// Why a candidate file could not be matched. This follows what the go
/// command does through its module index (the usual path: module cache,
/// GOROOT, and main-module directories whose files are over 2 seconds old).
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    /// `src` was a prefix of the file and more of it is needed.
    #[error("header extends past the end of the input")]
    Incomplete,
    /// A NUL byte in the header: a read error. The file goes to
    /// InvalidGoFiles only, whatever its constraints; go's message is
    /// "read /abs/path/x.go: unexpected NUL in input".
    #[error("unexpected NUL in input")]
    Nul {
        /// 1-based line of the NUL.
        line: u32,
        /// 1-based byte column of the NUL.
        col: u32,
    },
    /// Two `//go:build` lines; `line` is the second. The file goes to
    /// InvalidGoFiles only; go's message is "x.go: multiple //go:build comments".
    #[error("multiple //go:build comments")]
    MultipleGoBuild {
        /// 1-based line of the second `//go:build`.
        line: u32,
        /// 1-based byte column of that comment (after any indentation).
        col: u32,
    },
    /// The `//go:build` line does not parse. The go command's module index
    /// fails the whole package with "x.go: parsing //go:build line: MSG"
    /// (go/build alone would only mark the file invalid).
    #[error("parsing //go:build line: {err}")]
    BadGoBuild {
        /// 1-based line of the `//go:build` line.
        line: u32,
        /// 1-based byte column of the comment (after any indentation).
        col: u32,
        /// What is wrong with the expression.
        err: ConstraintError,
    },
    /// A parse error (or invalid import path) in the header. The file goes
    /// to InvalidGoFiles, and it also lists in GoFiles (`included`) or
    /// IgnoredGoFiles (not `included`) under `package` (the name go/parser
    /// still recovered, "" if the package clause was bad) with no imports.
    /// go/build alone (used for freshly modified files) would not report
    /// the error at all for an excluded file.
    #[error("{error}")]
    Parse {
        /// The header's first error.
        error: HeaderError,
        /// Whether the build constraints include the file.
        included: bool,
        /// The package name go/parser recovered ("" if none).
        package: String,
    },
}

impl FileError {
    /// Whether the caller should retry with more of the file.
    pub fn is_incomplete(&self) -> bool {
        matches!(self, FileError::Incomplete)
    }
}

/// GOEXPERIMENT flags known to Go 1.26 (internal/goexperiment.Flags), in
/// the order the go command lists them.
pub const EXPERIMENTS: &[&str] = &[
    "fieldtrack",
    "preemptibleloops",
    "staticlockranking",
    "boringcrypto",
    "regabiwrappers",
    "regabiargs",
    "heapminimum512kib",
    "arenas",
    "cgocheck2",
    "loopvar",
    "newinliner",
    "dwarf5",
    "jsonv2",
    "greenteagc",
    "randomizedheapbase64",
    "runtimefreegc",
    "sizespecializedmalloc",
    "goroutineleakprofile",
    "simd",
    "runtimesecret",
    // Experiments of earlier releases (their baselines below name them).
    "regabireflect",
    "pacerredesign",
    "unified",
    "coverageredesign",
    "allocheaders",
    "exectracer2",
    "aliastypeparams",
    "swissmap",
    "spinbitmutex",
    "synchashtriemap",
    "rangefunc",
];

const GO_MINOR: u32 = 26;

/// Experiments on by default (internal/buildcfg.ParseGOEXPERIMENT's
/// baseline) in release go1.`go_minor` for a target: each release has its
/// own, read from its source (1.18 to 1.26; later releases as 1.26).
fn baseline_experiment(name: &str, go_minor: u32, goos: &str, goarch: &str) -> bool {
    let dwarf5 = !matches!(goos, "darwin" | "ios" | "aix");
    let have_xchg8 = matches!(goarch, "386" | "amd64" | "arm" | "arm64" | "ppc64le" | "ppc64");
    match (name, go_minor) {
        ("regabiwrappers" | "regabiargs", _) => regabi_supported(goarch),
        ("regabireflect", ..=18) => regabi_supported(goarch),
        ("pacerredesign", 18) => true,
        ("unified", 20) => true,
        ("coverageredesign", 20..=24) => true,
        ("allocheaders" | "exectracer2", 22) => true,
        ("aliastypeparams" | "swissmap" | "synchashtriemap", 24..=25) => true,
        ("spinbitmutex", 24) => have_xchg8,
        ("dwarf5", 25..) => dwarf5,
        ("randomizedheapbase64" | "greenteagc", 26..) => true,
        _ => false,
    }
}

fn regabi_always_on(goarch: &str) -> bool {
    matches!(goarch, "amd64" | "arm64" | "loong64" | "ppc64le" | "ppc64" | "riscv64")
}

fn regabi_supported(goarch: &str) -> bool {
    regabi_always_on(goarch) || goarch == "s390x"
}

/// The enabled experiments for a GOEXPERIMENT value, in canonical order,
/// or go's error text ("unknown GOEXPERIMENT x").
pub fn enabled_experiments(
    go_minor: u32,
    goos: &str,
    goarch: &str,
    goexperiment: &str,
) -> Result<Vec<&'static str>, String> {
    let mut on: Vec<bool> = EXPERIMENTS.iter().map(|e| baseline_experiment(e, go_minor, goos, goarch)).collect();
    let idx = |n: &str| EXPERIMENTS.iter().position(|e| *e == n);
    for f in goexperiment.split(',') {
        if f.is_empty() {
            continue;
        }
        if f == "none" {
            on.iter_mut().for_each(|v| *v = false);
            continue;
        }
        let (name, val) = match f.strip_prefix("no") {
            Some(n) => (n, false),
            None => (f, true),
        };
        if name == "regabi" {
            on[idx("regabiwrappers").unwrap()] = val;
            on[idx("regabiargs").unwrap()] = val;
            continue;
        }
        match idx(name) {
            Some(i) => on[i] = val,
            None => return Err(format!("unknown GOEXPERIMENT {name}")),
        }
    }
    let (w, a) = (idx("regabiwrappers").unwrap(), idx("regabiargs").unwrap());
    if regabi_always_on(goarch) {
        on[w] = true;
        on[a] = true;
    }
    if !regabi_supported(goarch) {
        on[w] = false;
        on[a] = false;
    }
    if on[a] && !on[w] {
        return Err("GOEXPERIMENT regabiargs requires regabiwrappers".to_string());
    }
    Ok(EXPERIMENTS.iter().zip(on).filter(|(_, v)| *v).map(|(e, _)| *e).collect())
}

/// Architecture-level tags (internal/buildcfg gogoarchTags) for the value
/// of GOAMD64/GOARM64/GOARM/GO386/GOMIPS/GOMIPS64/GOPPC64/GORISCV64/GOWASM.
/// Invalid values fall back to the default, as the go command does (after
/// reporting an error).
pub fn arch_level_tags(goos: &str, goarch: &str, level: Option<&str>) -> Vec<String> {
    let level = level.filter(|l| !l.is_empty());
    match goarch {
        "386" => vec![format!("386.{}", level.unwrap_or("sse2"))],
        "amd64" => {
            let n = match level {
                Some("v2") => 2,
                Some("v3") => 3,
                Some("v4") => 4,
                _ => 1,
            };
            (1..=n).map(|i| format!("amd64.v{i}")).collect()
        }
        "arm" => {
            let v = level.unwrap_or("7");
            let v = v.strip_suffix(",softfloat").or_else(|| v.strip_suffix(",hardfloat")).unwrap_or(v);
            let n = match v {
                "5" => 5,
                "6" => 6,
                "7" => 7,
                _ => 7, // the default, also for android/arm
            };
            let _ = goos;
            (5..=n).map(|i| format!("arm.{i}")).collect()
        }
        "arm64" => {
            let mut v = level.unwrap_or("v8.0");
            while let Some(s) = v.strip_suffix(",lse").or_else(|| v.strip_suffix(",crypto")) {
                v = s;
            }
            let valid = matches!(v.as_bytes(), [b'v', b'8', b'.', b'0'..=b'9'] | [b'v', b'9', b'.', b'0'..=b'5']);
            let v = if valid { v } else { "v8.0" };
            let major = (v.as_bytes()[1] - b'0') as u32;
            let minor = (v.as_bytes()[3] - b'0') as u32;
            let mut list: Vec<String> = (0..=minor).map(|i| format!("arm64.v{major}.{i}")).collect();
            if major == 9 {
                list.extend((0..=(minor + 5).min(9)).map(|i| format!("arm64.v8.{i}")));
            }
            list
        }
        "mips" | "mipsle" | "mips64" | "mips64le" => {
            let v = level.filter(|v| matches!(*v, "hardfloat" | "softfloat")).unwrap_or("hardfloat");
            vec![format!("{goarch}.{v}")]
        }
        "ppc64" | "ppc64le" => {
            let n = match level {
                Some("power9") => 9,
                Some("power10") => 10,
                _ => 8,
            };
            (8..=n).map(|i| format!("{goarch}.power{i}")).collect()
        }
        "riscv64" => {
            let n = match level {
                Some("rva22u64") => 22,
                Some("rva23u64") => 23,
                _ => 20,
            };
            let mut list = vec!["riscv64.rva20u64".to_string()];
            if n >= 22 {
                list.push("riscv64.rva22u64".to_string());
            }
            if n >= 23 {
                list.push("riscv64.rva23u64".to_string());
            }
            list
        }
        // Both features are always on.
        "wasm" => vec!["wasm.satconv".to_string(), "wasm.signext".to_string()],
        _ => Vec::new(),
    }
}

impl BuildContext {
    /// A context for the installed toolchain's defaults: tool tags for the
    /// target with no GOEXPERIMENT and default architecture level, and
    /// release tags up to the toolchain's Go version.
    pub fn new(goos: &str, goarch: &str, cgo_enabled: bool) -> Self {
        BuildContext {
            goos: goos.to_string(),
            goarch: goarch.to_string(),
            cgo_enabled,
            build_tags: Vec::new(),
            tool_tags: Self::tool_tags_for(GO_MINOR, goos, goarch, "", None),
            release_tags: Self::release_tags_for(GO_MINOR),
        }
    }

    /// Tool tags as the Go 1.26 go command computes them: `goexperiment.X`
    /// for each enabled experiment (baseline plus GOEXPERIMENT), then the
    /// architecture-level tags. An invalid GOEXPERIMENT (which makes the
    /// go command fail) is treated as empty; see [`enabled_experiments`].
    pub fn tool_tags_for(
        go_minor: u32,
        goos: &str,
        goarch: &str,
        goexperiment: &str,
        arch_level: Option<&str>,
    ) -> Vec<String> {
        let exps = enabled_experiments(go_minor, goos, goarch, goexperiment)
            .or_else(|_| enabled_experiments(go_minor, goos, goarch, ""))
            .unwrap_or_default();
        let mut tags: Vec<String> = exps.iter().map(|e| format!("goexperiment.{e}")).collect();
        tags.extend(arch_level_tags(goos, goarch, arch_level));
        tags
    }

    /// `go1.1` .. `go1.{go_minor}`.
    pub fn release_tags_for(go_minor: u32) -> Vec<String> {
        (1..=go_minor).map(|i| format!("go1.{i}")).collect()
    }

    /// go/build's matchTag: whether a build tag is satisfied.
    pub fn match_tag(&self, tag: &str) -> bool {
        if tag == "cgo" && self.cgo_enabled {
            return true;
        }
        if tag == self.goos || tag == self.goarch || tag == "gc" {
            return true;
        }
        match (self.goos.as_str(), tag) {
            ("android", "linux") | ("illumos", "solaris") | ("ios", "darwin") => return true,
            (goos, "unix") if is_unix_os(goos) => return true,
            _ => {}
        }
        // The old name of the experiment.
        let tag = if tag == "boringcrypto" { "goexperiment.boringcrypto" } else { tag };
        let has = |list: &[String]| list.iter().any(|t| t == tag);
        has(&self.build_tags) || has(&self.tool_tags) || has(&self.release_tags)
    }

    /// Classifies a directory entry by name (go/build's matchFile up to the
    /// point where it reads the file), for `go list` without tests.
    pub fn match_name(&self, file_name: &str) -> NameMatch {
        if file_name.starts_with('_')
            || file_name.starts_with('.')
            || !file_name.ends_with(".go")
            || file_name.ends_with("_test.go")
        {
            return NameMatch::NotGo;
        }
        if good_os_arch_file_with(file_name, &mut |t| self.match_tag(t)) {
            NameMatch::Candidate
        } else {
            NameMatch::Ignored
        }
    }

    /// Reads a candidate file's header and decides whether it is in the
    /// build: NUL bytes, duplicate `//go:build` lines, build constraints,
    /// parse errors, and cgo.
    ///
    /// `complete` says whether `src` is the whole file; if it is not and
    /// more is needed the result is `Err(FileError::Incomplete)`.
    pub fn match_header(&self, src: &[u8], complete: bool) -> Result<FileMatch, FileError> {
        self.match_header_detailed(src, complete).map(|(m, _)| m)
    }

    /// Like [`match_header`](Self::match_header), also telling whether the
    /// build constraints held. `(Excluded(h), true)` is a file excluded only
    /// because it imports "C" with cgo off: go/build still takes its package
    /// name into account (it sets the package Name and can conflict with
    /// other files), unlike a file excluded by its constraints.
    pub fn match_header_detailed(&self, src: &[u8], complete: bool) -> Result<(FileMatch, bool), FileError> {
        let body = header::strip_bom(src, complete).map_err(|_| FileError::Incomplete)?;
        let extent = header::header_extent(body, complete).map_err(|e| match e {
            HeaderError::Nul { line, col } => FileError::Nul { line, col },
            _ => FileError::Incomplete,
        })?;
        let mut content = &body[..extent.end];
        if !complete {
            // The last line of a prefix may be cut short ("/" of "//go:build"):
            // only whole lines can end the leading comments.
            content = &content[..content.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1)];
        }
        let lines = constraint::scan_constraint_lines(content)
            .map_err(|e| FileError::MultipleGoBuild { line: e.line, col: line_indent(content, e.line) })?;
        // Leading comments that run to the end of a prefix may hold a
        // constraint line further on (even past a line the tokenizer
        // rejects): only the whole file can say.
        if !lines.reached_code && !complete {
            return Err(FileError::Incomplete);
        }
        let parsed = header::parse_header(body, &extent, complete);
        if let Err((HeaderError::Incomplete, _)) = parsed {
            return Err(FileError::Incomplete);
        }
        let included = constraint::eval_lines(&lines, &mut |t| self.match_tag(t)).map_err(|err| {
            let line = lines.go_build.map_or(1, |(_, l)| l);
            FileError::BadGoBuild { line, col: line_indent(content, line), err }
        })?;
        match parsed {
            Err((error, package)) => Err(FileError::Parse { error, included, package }),
            Ok(h) if included && (self.cgo_enabled || !h.imports_c()) => Ok((FileMatch::Included(h), true)),
            Ok(h) => Ok((FileMatch::Excluded(h), included)),
        }
    }
}

/// Column of the first non-blank byte of a 1-based line.
fn line_indent(content: &[u8], line: u32) -> u32 {
    let Some(l) = content.split(|&c| c == b'\n').nth(line.saturating_sub(1) as usize) else {
        return 1;
    };
    1 + l.iter().take_while(|c| c.is_ascii_whitespace()).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(goos: &str, goarch: &str, cgo: bool) -> BuildContext {
        BuildContext::new(goos, goarch, cgo)
    }

    fn included(c: &BuildContext, src: &str) -> bool {
        match c.match_header(src.as_bytes(), true) {
            Ok(FileMatch::Included(_)) => true,
            Ok(FileMatch::Excluded(_)) => false,
            Err(e) => panic!("{src:?}: {e:?}"),
        }
    }

    #[test]
    fn tags() {
        let c = ctx("linux", "amd64", true);
        for t in ["linux", "amd64", "unix", "gc", "cgo", "go1.1", "go1.26", "amd64.v1", "goexperiment.greenteagc"] {
            assert!(c.match_tag(t), "{t}");
        }
        for t in ["windows", "android", "gccgo", "go1.27", "amd64.v2", "goexperiment.arenas", "boringcrypto", "foo"] {
            assert!(!c.match_tag(t), "{t}");
        }
        assert!(!ctx("linux", "amd64", false).match_tag("cgo"));
        let a = ctx("android", "arm64", false);
        assert!(a.match_tag("linux") && a.match_tag("android") && a.match_tag("unix"));
        assert!(ctx("ios", "arm64", false).match_tag("darwin"));
        assert!(!ctx("darwin", "arm64", false).match_tag("ios"));
        assert!(ctx("illumos", "amd64", false).match_tag("solaris"));
        for (os, unix) in
            [("windows", false), ("plan9", false), ("js", false), ("wasip1", false), ("aix", true), ("hurd", true)]
        {
            assert_eq!(ctx(os, "amd64", false).match_tag("unix"), unix, "{os}");
        }
        let mut b = ctx("linux", "amd64", false);
        b.tool_tags.push("goexperiment.boringcrypto".into());
        assert!(b.match_tag("boringcrypto"));
        b.build_tags.push("foo".into());
        assert!(b.match_tag("foo"));
    }

    #[test]
    fn tool_tags_table() {
        let t = BuildContext::tool_tags_for(26, "linux", "amd64", "", None);
        assert_eq!(
            t,
            [
                "goexperiment.regabiwrappers",
                "goexperiment.regabiargs",
                "goexperiment.dwarf5",
                "goexperiment.greenteagc",
                "goexperiment.randomizedheapbase64",
                "amd64.v1"
            ]
        );
        let t = BuildContext::tool_tags_for(26, "darwin", "arm64", "", Some("v9.2,lse"));
        assert_eq!(
            t[4..],
            [
                "arm64.v9.0",
                "arm64.v9.1",
                "arm64.v9.2",
                "arm64.v8.0",
                "arm64.v8.1",
                "arm64.v8.2",
                "arm64.v8.3",
                "arm64.v8.4",
                "arm64.v8.5",
                "arm64.v8.6",
                "arm64.v8.7"
            ]
        );
        assert_eq!(
            &t[..4],
            [
                "goexperiment.regabiwrappers",
                "goexperiment.regabiargs",
                "goexperiment.greenteagc",
                "goexperiment.randomizedheapbase64"
            ]
        );
        assert_eq!(
            BuildContext::tool_tags_for(26, "linux", "arm", "", Some("6,softfloat")),
            ["goexperiment.dwarf5", "goexperiment.greenteagc", "goexperiment.randomizedheapbase64", "arm.5", "arm.6"]
        );
        assert_eq!(
            BuildContext::tool_tags_for(26, "linux", "386", "none,fieldtrack", Some("softfloat")),
            ["goexperiment.fieldtrack", "386.softfloat"]
        );
        assert_eq!(BuildContext::tool_tags_for(26, "js", "wasm", "", None)[3..], ["wasm.satconv", "wasm.signext"]);
        assert_eq!(
            BuildContext::tool_tags_for(26, "linux", "amd64", "noregabi", Some("v3"))[5..],
            ["amd64.v1", "amd64.v2", "amd64.v3"]
        );
        assert_eq!(
            BuildContext::tool_tags_for(26, "linux", "riscv64", "", Some("rva23u64"))[5..],
            ["riscv64.rva20u64", "riscv64.rva22u64", "riscv64.rva23u64"]
        );
        assert_eq!(BuildContext::tool_tags_for(26, "linux", "s390x", "", None).len(), 5);
        assert_eq!(enabled_experiments(26, "linux", "amd64", "bogus"), Err("unknown GOEXPERIMENT bogus".into()));
        assert_eq!(BuildContext::release_tags_for(3), ["go1.1", "go1.2", "go1.3"]);
    }

    #[test]
    fn names() {
        let c = ctx("linux", "amd64", true);
        assert_eq!(c.match_name("a.go"), NameMatch::Candidate);
        assert_eq!(c.match_name("linux.go"), NameMatch::Candidate);
        assert_eq!(c.match_name("windows.go"), NameMatch::Candidate);
        assert_eq!(c.match_name("a_linux_amd64.go"), NameMatch::Candidate);
        assert_eq!(c.match_name("a_windows.go"), NameMatch::Ignored);
        assert_eq!(c.match_name("a_linux_arm64.go"), NameMatch::Ignored);
        assert_eq!(c.match_name("foo_linux_amd64_test.go"), NameMatch::NotGo);
        assert_eq!(c.match_name("a_test.go"), NameMatch::NotGo);
        assert_eq!(c.match_name("_a.go"), NameMatch::NotGo);
        assert_eq!(c.match_name(".a.go"), NameMatch::NotGo);
        assert_eq!(c.match_name("a.s"), NameMatch::NotGo);
        assert_eq!(c.match_name("a.GO"), NameMatch::NotGo);
        let ios = ctx("ios", "arm64", false);
        assert_eq!(ios.match_name("x_ios.go"), NameMatch::Candidate);
        assert_eq!(ios.match_name("x_darwin.go"), NameMatch::Candidate);
        assert_eq!(ctx("darwin", "arm64", false).match_name("x_ios.go"), NameMatch::Ignored);
        assert_eq!(ctx("android", "arm64", false).match_name("x_linux.go"), NameMatch::Candidate);
        // -tags can satisfy a file-name constraint.
        let mut w = ctx("windows", "amd64", false);
        assert_eq!(w.match_name("a_linux.go"), NameMatch::Ignored);
        w.build_tags.push("linux".into());
        assert_eq!(w.match_name("a_linux.go"), NameMatch::Candidate);
    }

    #[test]
    fn constraints() {
        let c = ctx("linux", "amd64", true);
        assert!(included(&c, "package p\n"));
        assert!(!included(&c, "//go:build ignore\n\npackage p\n"));
        assert!(included(&c, "//go:build linux && amd64\npackage p\n"));
        assert!(!included(&c, "//go:build !linux\npackage p\n"));
        assert!(included(&c, "//go:build unix\npackage p\n"));
        assert!(included(&c, "//go:build go1.21\npackage p\n"));
        assert!(!included(&c, "//go:build go1.27\npackage p\n"));
        // //go:build alone decides.
        assert!(included(&c, "//go:build linux\n// +build ignore\n\npackage p\n"));
        // +build needs a following blank line.
        assert!(!included(&c, "// +build ignore\n\npackage p\n"));
        assert!(included(&c, "// +build ignore\npackage p\n"));
        assert!(!included(&c, "// +build linux\n// +build !amd64\n\npackage p\n"));
        assert!(included(&c, "// +build linux,amd64 windows\n\npackage p\n"));
        // An empty +build line means "ignore".
        assert!(!included(&c, "// +build x\n// +build\n\npackage p\n"));
        // //go:build after the package clause is ignored.
        assert!(included(&c, "package p\n//go:build ignore\n"));
        assert!(included(&c, "/*\n//go:build ignore\n*/\npackage p\n"));
        let android = ctx("android", "arm64", false);
        assert!(included(&android, "//go:build linux\npackage p\n"));
        assert!(!included(&ctx("linux", "arm64", false), "//go:build android\npackage p\n"));
    }

    #[test]
    fn cgo() {
        let src = "package p\n\n// #include <stdio.h>\nimport \"C\"\n";
        assert!(included(&ctx("linux", "amd64", true), src));
        let off = ctx("linux", "amd64", false);
        assert!(!included(&off, src));
        assert!(matches!(off.match_header_detailed(src.as_bytes(), true), Ok((FileMatch::Excluded(_), true))));
        let excl = "//go:build ignore\n\npackage p\nimport \"C\"\n";
        assert!(matches!(off.match_header_detailed(excl.as_bytes(), true), Ok((FileMatch::Excluded(_), false))));
        assert!(included(&off, "//go:build !cgo\npackage p\n"));
    }

    #[test]
    fn errors() {
        let c = ctx("linux", "amd64", true);
        let m = |s: &[u8]| c.match_header(s, true);
        assert_eq!(m(b"//go:build ignore\n\npackage p\x00\n"), Err(FileError::Nul { line: 3, col: 10 }));
        assert_eq!(
            m(b"//go:build linux\n  //go:build linux\npackage p\n"),
            Err(FileError::MultipleGoBuild { line: 2, col: 3 })
        );
        match m(b"// c\n//go:build (linux\npackage p\n") {
            Err(FileError::BadGoBuild { line: 2, col: 1, err }) => assert_eq!(err.to_string(), "missing close paren"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            m(b"//go:build a b\npackage p\n").unwrap_err().to_string(),
            "parsing //go:build line: unexpected token b"
        );
        match m(b"//go:build ignore\n\npackage p\nimport \"a\\q\"\n") {
            Err(FileError::Parse { included: false, package, error }) => {
                assert_eq!(package, "p");
                assert_eq!(error.position(), Some((4, 11)));
            }
            other => panic!("{other:?}"),
        }
        match m(b"package p\nimport (\"os\" \"io\")\n") {
            Err(FileError::Parse { included: true, package, .. }) => assert_eq!(package, "p"),
            other => panic!("{other:?}"),
        }
        // A parse error does not hide a broken //go:build line.
        assert!(matches!(m(b"//go:build (\npackage 1\n"), Err(FileError::BadGoBuild { .. })));
    }

    #[test]
    fn prefixes() {
        let c = ctx("linux", "amd64", true);
        let src = b"// Copyright\n\n// +build linux\n\n// Package p.\npackage p // import \"x\"\n\nimport (\n\t\"fmt\"\n)\n\nvar x = 1\n";
        let full = c.match_header(src, true).unwrap();
        for n in 0..src.len() {
            match c.match_header(&src[..n], false) {
                Err(FileError::Incomplete) => {}
                Ok(m) => assert_eq!(m, full, "prefix {n}"),
                Err(e) => panic!("prefix {n}: {e:?}"),
            }
        }
        // A broken header makes go parse the whole file, but the first error
        // can be known before the end.
        let bad = b"package p\nimport (\"a\" \"b\")\nvar x = 1\n";
        assert_eq!(c.match_header(&bad[..30], false), c.match_header(bad, true));
        assert_eq!(c.match_header(&bad[..20], false), Err(FileError::Incomplete));
    }

    #[test]
    fn experiment_baselines_follow_the_release() {
        let tags = |minor, goos, goarch| BuildContext::tool_tags_for(minor, goos, goarch, "", None);
        let has = |t: &[String], x: &str| t.iter().any(|e| e == &format!("goexperiment.{x}"));
        let t24 = tags(24, "linux", "amd64");
        assert!(has(&t24, "swissmap") && has(&t24, "spinbitmutex") && !has(&t24, "greenteagc"));
        assert!(!has(&tags(24, "linux", "riscv64"), "spinbitmutex"));
        let t26 = tags(26, "linux", "amd64");
        assert!(has(&t26, "greenteagc") && has(&t26, "dwarf5") && !has(&t26, "swissmap"));
        assert!(!has(&tags(25, "darwin", "arm64"), "dwarf5"));
        assert!(has(&tags(20, "linux", "amd64"), "unified"));
        assert!(has(&tags(18, "linux", "arm64"), "regabireflect"));
    }
}
