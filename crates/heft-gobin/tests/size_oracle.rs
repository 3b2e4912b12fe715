//! `heft size` against its oracles on real binaries built here: `go version
//! -m` for the build information, `go tool nm -size` for function sizes per
//! package, the stripped build of the same program for the same text sizes,
//! and section sizes for attributed + unattributed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use heft_gobin::{GoBinary, SizeReport, symname};
use heft_testkit::{Platform, RealProgram, go, scratch, toolchain, workspace_root};

/// Builds `pkg` in `dir` into `out_dir/NAME` (stripped with `-s -w` when
/// asked); the go build cache keeps rebuilds to a link.
fn build(dir: &Path, pkg: &str, out_dir: &Path, name: &str, stripped: bool, extra_env: &[(&str, &str)]) -> PathBuf {
    let out = out_dir.join(name);
    let mut cmd = go(["build", "-o"]);
    cmd.arg(&out);
    if stripped {
        cmd.arg("-ldflags=-s -w");
    }
    cmd.arg(pkg).current_dir(dir).env("GOWORK", "off").env("GOFLAGS", "-mod=mod");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("go build");
    assert!(o.status.success(), "go build {pkg}: {}", String::from_utf8_lossy(&o.stderr));
    out
}

fn read(path: &Path) -> (GoBinary, SizeReport) {
    let data = std::fs::read(path).unwrap();
    let bin = GoBinary::parse(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let report = SizeReport::new(&bin);
    (bin, report)
}

/// `go version -m` lines after the first, without the leading tab.
fn go_version_m(path: &Path) -> (String, Vec<String>) {
    let o = go(["version", "-m"]).arg(path).output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    let mut lines = text.lines();
    let first = lines.next().unwrap();
    let version = first.rsplit(": ").next().unwrap().to_string();
    (version, lines.map(|l| l.strip_prefix('\t').unwrap_or(l).trim_end().to_string()).collect())
}

fn check_buildinfo(path: &Path, bin: &GoBinary) {
    let bi = bin.buildinfo.as_ref().expect("build information");
    let (version, lines) = go_version_m(path);
    assert_eq!(bi.go_version, version);
    let ours: Vec<String> = bi.lines().iter().map(|l| l.trim_end().to_string()).collect();
    assert_eq!(ours, lines, "build information of {}", path.display());
}

/// Per-package text bytes by `go tool nm -size`: the sizes of the text
/// symbols that are Go functions (named in the function table), grouped by
/// the Go naming rules.
fn nm_text_by_package(path: &Path, bin: &GoBinary) -> BTreeMap<String, u64> {
    // Functions are matched by entry address: the symbol table and the
    // function table may spell a name differently (Go 1.18 writes "[...]"
    // for every bracketed part in the function table, `·` is `.` in the
    // symbol table, assembly functions carry ".abi0"). C functions (no pc
    // tables) are not Go code and stay out. When the table's start is
    // recorded as 0 (relocated at load time), names are matched instead.
    let table = bin.pclntab.as_ref().unwrap();
    let go_funcs: Vec<&heft_gobin::pclntab::Func> = table.funcs.iter().filter(|f| !f.foreign).collect();
    let by_entry: std::collections::HashMap<u64, &str> =
        go_funcs.iter().map(|f| (table.text_start + f.offset, f.name.as_str())).collect();
    let by_name: std::collections::HashMap<String, &str> = go_funcs
        .iter()
        .flat_map(|f| [(f.name.replace('·', "."), f.name.as_str()), (f.name.clone(), f.name.as_str())])
        .collect();
    let o = go(["tool", "nm", "-size", "-sort", "address"]).arg(path).output().unwrap();
    assert!(o.status.success(), "go tool nm: {}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let mut by = BTreeMap::new();
    let mut seen = 0usize;
    for line in text.lines() {
        let mut f = line.split_whitespace();
        let (Some(addr), Some(size), Some(kind)) = (f.next(), f.next(), f.next()) else { continue };
        let name: String = f.collect::<Vec<_>>().join(" ");
        let name = name.strip_suffix(".abi0").map(String::from).unwrap_or(name);
        if !(kind == "T" || kind == "t") {
            continue;
        }
        let real = if table.text_start != 0 {
            u64::from_str_radix(addr, 16).ok().and_then(|a| by_entry.get(&a).copied())
        } else {
            by_name.get(name.as_str()).copied()
        };
        // Markers such as `runtime.text` (size 0) and a C object's
        // `pkg(.text)` share a function's address: skip them, keep the
        // symbol that is the function.
        let marker = size == "0" || name.ends_with("(.text)");
        let Some(real) = real.filter(|r| r.replace('·', ".") == name || !marker) else {
            continue;
        };
        seen += 1;
        let pkg = symname::pseudo_group(real)
            .map(String::from)
            .or_else(|| symname::package_of(real))
            .unwrap_or_else(|| "(no package)".into());
        *by.entry(pkg).or_insert(0u64) += size.parse::<u64>().unwrap();
    }
    // Go functions whose names carry no package (assembly helpers) are
    // reported by heft with the C code under "(no package)".
    by.remove(heft_gobin::size::NO_PACKAGE);
    assert!(seen * 100 >= go_funcs.len() * 99, "nm shows {seen} of {} functions", go_funcs.len());
    by
}

fn text_by_package(r: &SizeReport) -> BTreeMap<String, u64> {
    r.packages
        .iter()
        .filter(|g| g.text > 0 && g.name != heft_gobin::size::NO_PACKAGE)
        .map(|g| (g.name.clone(), g.text))
        .collect()
}

fn assert_same(want: &BTreeMap<String, u64>, got: &BTreeMap<String, u64>, what: &str) {
    let diffs: Vec<String> = want
        .keys()
        .chain(got.keys())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .filter(|k| want.get(*k) != got.get(*k))
        .map(|k| format!("{k}: nm {:?} heft {:?}", want.get(k), got.get(k)))
        .collect();
    assert!(diffs.is_empty(), "{what}: {} packages differ:\n{}", diffs.len(), diffs.join("\n"));
}

fn check_sections(r: &SizeReport) {
    assert!(!r.sections.is_empty());
    for s in &r.sections {
        assert!(s.attributed <= s.size, "{}: attributed {} > size {}", s.name, s.attributed, s.size);
        assert_eq!(s.attributed + s.unattributed, s.size, "section {}", s.name);
    }
    // Every byte of the file is in one row.
    assert!(r.complete);
    let in_file: u64 = r.sections.iter().map(|s| s.file_size).sum();
    assert_eq!(in_file, r.file_size, "{}: the sections' bytes in the file add up to its size", r.file);
    // The function table is charged to packages; what is left is explicit.
    let table: u64 = r.packages.iter().map(|g| g.pclntab).sum();
    assert!(table > 0, "function table attributed");
    for g in &r.packages {
        assert!(g.pclntab <= g.total, "{}", g.name);
        if g.text > 0 && g.name != heft_gobin::size::NO_PACKAGE && !r.pclntab_version.is_empty() {
            assert!(g.pclntab > 0, "{}: code but no share of the function table", g.name);
        }
    }
    // Per-kind group sums equal the attributed bytes of the sections.
    let attributed: u64 = r.sections.iter().map(|s| s.attributed).sum();
    let grouped: u64 = r.packages.iter().map(|g| g.total + g.bss).sum();
    assert_eq!(attributed, grouped, "groups add up to the attributed bytes");
    let by_module: u64 = r.modules.iter().map(|g| g.total + g.bss).sum();
    assert_eq!(by_module, grouped, "modules add up to packages");
}

/// Per-package bytes of the function table (the remainder group aside).
fn table_by_package(r: &SizeReport) -> BTreeMap<String, u64> {
    r.packages
        .iter()
        .filter(|g| g.pclntab > 0 && g.name != heft_gobin::size::PCLNTAB)
        .map(|g| (g.name.clone(), g.pclntab))
        .collect()
}

/// The stripped build charges the same table bytes to each package; the
/// funcdata too where it can be found without symbols (Go 1.26+, where it
/// follows the table), else less.
fn check_table_shares(sbin: &GoBinary, stripped: &SizeReport, full: &SizeReport) {
    let (s, f) = (table_by_package(stripped), table_by_package(full));
    if sbin.gofunc.is_some() {
        assert_eq!(s, f, "{}: stripped build: same table shares", stripped.file);
    } else {
        assert_eq!(s.keys().collect::<Vec<_>>(), f.keys().collect::<Vec<_>>());
        for (k, v) in &s {
            assert!(*v <= f[k], "{k}: stripped {v} > {}", f[k]);
        }
    }
}

/// Every package group is a package `go list -deps` names for the program
/// (`main` for the main package), or an explicit synthetic group.
fn check_packages_are_real(dir: &Path, pkg: &str, env: &[(&str, &str)], r: &SizeReport) {
    let mut cmd = go(["list", "-deps", "-f", "{{.ImportPath}}", pkg]);
    cmd.current_dir(dir).env("GOWORK", "off").env("GOFLAGS", "-mod=mod");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().expect("go list");
    assert!(o.status.success(), "go list: {}", String::from_utf8_lossy(&o.stderr));
    let mut real: std::collections::HashSet<String> =
        String::from_utf8(o.stdout).unwrap().lines().map(String::from).collect();
    real.insert("main".into());
    let fake: Vec<&str> = r
        .packages
        .iter()
        .map(|g| g.name.as_str())
        .filter(|n| !(n.starts_with('(') || n.ends_with(':') || real.contains(*n)))
        .collect();
    assert!(fake.is_empty(), "{}: groups that are no package of go list -deps: {fake:?}", r.file);
}

/// What `-ldflags=-s -w` would remove, against what it removed: the
/// stripped file is smaller by the symbol table and DWARF, give or take
/// alignment and what the container keeps (Mach-O's dynamic symbols, its
/// code signature shrinking with the file).
fn check_strip_estimate(full: &SizeReport, stripped: &SizeReport) {
    let saved = full.file_size - stripped.file_size;
    let est = full.removed_by_strip;
    let diff = saved.abs_diff(est);
    assert!(diff * 100 <= saved * 2, "{}: -s -w removed {saved}, heft says {est}", full.file);
}

fn check_program(dir: &Path, pkg: &str, out_dir: &Path, name: &str, env: &[(&str, &str)]) -> PathBuf {
    let full = build(dir, pkg, out_dir, name, false, env);
    let stripped = build(dir, pkg, out_dir, &format!("{name}.stripped"), true, env);
    let (bin, report) = read(&full);
    assert!(bin.warnings.is_empty(), "{:?}", bin.warnings);
    assert!(!report.stripped);
    check_buildinfo(&full, &bin);
    check_sections(&report);

    let want = nm_text_by_package(&full, &bin);
    let got = text_by_package(&report);
    assert_same(&want, &got, "per-package text vs go tool nm");

    let (sbin, sreport) = read(&stripped);
    assert!(sreport.stripped);
    check_buildinfo(&stripped, &sbin);
    check_sections(&sreport);
    assert_eq!(text_by_package(&sreport), got, "stripped build: same per-package text");
    check_table_shares(&sbin, &sreport, &report);
    check_packages_are_real(dir, pkg, env, &report);
    check_strip_estimate(&report, &sreport);
    full
}

#[test]
fn size_example_server_matches_go_tools() {
    let bins = scratch("size-bins");
    check_program(&workspace_root().join("examples/busybox"), "./cmd/server", bins.path(), "busybox-server", &[]);
}

#[test]
fn size_example_server_nocgo_pie_matches_go_tools() {
    let dir = workspace_root().join("examples/busybox");
    let bins = scratch("size-bins");
    let full = build(
        &dir,
        "./cmd/server",
        bins.path(),
        "busybox-server-pie",
        false,
        &[("CGO_ENABLED", "0"), ("GOFLAGS", "-mod=mod -buildmode=pie")],
    );
    let stripped = build(
        &dir,
        "./cmd/server",
        bins.path(),
        "busybox-server-pie.stripped",
        true,
        &[("CGO_ENABLED", "0"), ("GOFLAGS", "-mod=mod -buildmode=pie")],
    );
    let (bin, report) = read(&full);
    check_buildinfo(&full, &bin);
    check_sections(&report);
    let (sbin, sreport) = read(&stripped);
    check_buildinfo(&stripped, &sbin);
    check_sections(&sreport);
    assert_eq!(text_by_package(&sreport), text_by_package(&report));
    assert_eq!(text_by_package(&report), nm_text_by_package(&full, &bin));
    check_table_shares(&sbin, &sreport, &report);
}

#[test]
fn size_other_formats_match_go_tools() {
    let dir = workspace_root().join("examples/busybox");
    let bins = scratch("size-bins");
    for (goos, goarch) in [("darwin", "arm64"), ("windows", "amd64")] {
        let env = [("CGO_ENABLED", "0"), ("GOOS", goos), ("GOARCH", goarch)];
        let name = format!("busybox-server-{goos}-{goarch}");
        let full = build(&dir, "./cmd/server", bins.path(), &name, false, &env);
        let stripped = build(&dir, "./cmd/server", bins.path(), &format!("{name}.stripped"), true, &env);
        let (bin, report) = read(&full);
        check_buildinfo(&full, &bin);
        check_sections(&report);
        let (sbin, sreport) = read(&stripped);
        check_buildinfo(&stripped, &sbin);
        check_sections(&sreport);
        assert_eq!(text_by_package(&sreport), text_by_package(&report), "{goos}/{goarch}");
        check_table_shares(&sbin, &sreport, &report);
        check_packages_are_real(&dir, "./cmd/server", &env, &report);
        check_strip_estimate(&report, &sreport);
        // Mach-O symbols are read without the linker's leading `_`; PE type
        // descriptors are type descriptors, not runtime data.
        assert!(report.packages.iter().all(|g| !g.name.starts_with('_')), "{goos}");
        let types = report.packages.iter().find(|g| g.name == "type:").map_or(0, |g| g.total);
        assert!(types > 100_000, "{goos}/{goarch}: type descriptors {types}");
        let zeroed: u64 = report.sections.iter().filter(|s| s.kind == heft_gobin::Kind::Bss).map(|s| s.size).sum();
        assert!(zeroed > 1_000_000, "{goos}/{goarch}: zeroed data apart: {zeroed}");
        // Mach-O and PE symbols carry no size: go tool nm shows the distance
        // to the next symbol, i.e. the function's span including alignment
        // padding.
        let mut spans: BTreeMap<String, u64> = BTreeMap::new();
        for f in bin.pclntab.as_ref().unwrap().funcs.iter().filter(|f| !f.foreign) {
            let g = symname::pseudo_group(&f.name).map(String::from).or_else(|| symname::package_of(&f.name));
            if let Some(g) = g {
                *spans.entry(g).or_default() += f.span;
            }
        }
        assert_same(&nm_text_by_package(&full, &bin), &spans, &format!("{goos}/{goarch} spans vs go tool nm"));
        // The sizes heft reports are the code without the padding.
        for (pkg, text) in text_by_package(&report) {
            assert!(text <= spans[&pkg], "{pkg}");
        }
    }
}

#[test]
fn size_caddy_matches_go_tools() {
    let dir = RealProgram::CADDY.prepare("./cmd/caddy", &[Platform::LINUX_AMD64]);
    let bins = scratch("size-bins");
    check_program(&dir, "./cmd/caddy", bins.path(), "caddy", &[]);
}

#[test]
fn size_json_round_trips() {
    let bins = scratch("size-bins");
    let full =
        build(&workspace_root().join("examples/busybox"), "./cmd/server", bins.path(), "busybox-server", false, &[]);
    let (_, report) = read(&full);
    let json = serde_json::to_string(&report).unwrap();
    let back: SizeReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.buildinfo.as_ref().map(|b| b.lines()), report.buildinfo.as_ref().map(|b| b.lines()));
    assert_eq!(back.sections, report.sections);
    assert_eq!(back.packages, report.packages);
    assert_eq!(back.modules, report.modules);
}

/// Binaries from older toolchains (fetched by the go command from the
/// module proxy as `golang.org/toolchain` modules): the 1.18 and 1.20
/// function-table formats, and buildinfo from 1.18 on.
#[test]
fn size_older_toolchains_match_go_tools() {
    let scratch = scratch("size-old");
    let dir = scratch.path();
    std::fs::write(dir.join("go.mod"), "module example.com/old\n\ngo 1.18\n").unwrap();
    std::fs::write(
        dir.join("main.go"),
        "package main\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n\t\"net/http\"\n)\n\nfunc main() {\n\tb, _ := json.Marshal(map[string]int{\"a\": 1})\n\tfmt.Println(string(b), http.StatusOK)\n}\n",
    )
    .unwrap();
    for version in ["1.18.10", "1.20.14", "1.22.12"] {
        let toolchain = toolchain::older(version);
        let full = check_program(dir, ".", dir, &format!("old-{version}"), &[("GOTOOLCHAIN", toolchain.as_str())]);
        let (bin, report) = read(&full);
        assert_eq!(bin.buildinfo.as_ref().unwrap().go_version, toolchain);
        let want_table = if version.starts_with("1.18") { "go1.18" } else { "go1.20" };
        assert_eq!(report.pclntab_version, want_table, "{toolchain}");
    }
}

/// An older (Go 1.18) externally linked PIE: the function table is not in a
/// section of its own (it is in `.data.rel.ro`), and is counted all the
/// same, stripped or not. Needs a C toolchain (external linking).
#[test]
fn size_older_external_pie_counts_the_table() {
    assert!(
        std::process::Command::new("gcc").arg("--version").output().is_ok(),
        "this test links externally: it needs gcc on PATH (apt-get install gcc)"
    );
    let scratch = scratch("size-old-pie");
    let dir = scratch.path();
    std::fs::write(dir.join("go.mod"), "module example.com/old\n\ngo 1.18\n").unwrap();
    std::fs::write(
        dir.join("main.go"),
        "package main\n\nimport (\n\t\"encoding/json\"\n\t\"fmt\"\n)\n\nfunc main() {\n\tb, _ := json.Marshal(map[string]int{\"a\": 1})\n\tfmt.Println(string(b))\n}\n",
    )
    .unwrap();
    let toolchain = toolchain::older("1.18.10");
    let env = [("GOTOOLCHAIN", toolchain.as_str()), ("CGO_ENABLED", "1")];
    let mut reports = Vec::new();
    for (name, ldflags) in [("pie", "-linkmode=external"), ("pie.stripped", "-linkmode=external -s -w")] {
        let out = dir.join(name);
        let mut cmd = go(["build", "-buildmode=pie"]);
        cmd.arg(format!("-ldflags={ldflags}")).arg("-o").arg(&out).arg(".").current_dir(dir).env("GOWORK", "off");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let o = cmd.output().expect("go build");
        assert!(o.status.success(), "go build: {}", String::from_utf8_lossy(&o.stderr));
        let (bin, report) = read(&out);
        check_sections(&report);
        let table = report.sections.iter().find(|s| s.name == ".data.rel.ro").expect(".data.rel.ro");
        assert!(table.attributed * 2 > table.size, "{name}: the table in .data.rel.ro is counted: {table:?}");
        reports.push((bin, report));
    }
    let (full, stripped) = (&reports[0], &reports[1]);
    check_packages_are_real(dir, ".", &env, &full.1);
    assert_eq!(text_by_package(&stripped.1), text_by_package(&full.1));
    check_table_shares(&stripped.0, &stripped.1, &full.1);
}
