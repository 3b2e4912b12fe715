//! On a real program from the Go module proxy — `tomlv` from
//! github.com/BurntSushi/toml v1.6.0 (fetched with `go mod download` into the
//! module cache on first run; std-only dependencies, so it builds in place) —
//! and on the bundled example's cmd/agent, heft measure's per-package init
//! bytes and allocs equal the lines of a plain `GODEBUG=inittrace=1` run of an
//! ordinary `go build` of the same package: the probe changes nothing the
//! packages allocate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use heft_measure::{Options, parse};

fn module_dir(module: &str, version: &str) -> PathBuf {
    let out = Command::new("go")
        .args(["mod", "download", "-json", &format!("{module}@{version}")])
        .env("GOFLAGS", "-mod=mod")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("go mod download");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    PathBuf::from(v["Dir"].as_str().expect("Dir"))
}

/// Per-package (bytes, allocs) of a plain build run with inittrace; a
/// program exits before doing work when given `args`.
fn plain(dir: &Path, pkg: &str, args: &[&str]) -> BTreeMap<String, (u64, u64)> {
    let exe = std::env::temp_dir().join(format!("heft-measure-plain-{}", std::process::id()));
    let st = Command::new("go").args(["build", "-o"]).arg(&exe).arg(pkg).current_dir(dir).status().unwrap();
    assert!(st.success());
    let out = Command::new(&exe).args(args).env("GODEBUG", "inittrace=1").current_dir(dir).output().unwrap();
    let _ = std::fs::remove_file(&exe);
    let lines = parse::parse_inittrace(&String::from_utf8_lossy(&out.stderr)).unwrap();
    lines.into_iter().map(|l| (l.package, (l.bytes, l.allocs))).collect()
}

fn measured(dir: &Path, pkg: &str) -> BTreeMap<String, (u64, u64)> {
    let opts = Options { dir: dir.to_path_buf(), ..Options::default() };
    let mains = heft_measure::main_packages(&opts, &[pkg.to_string()]).unwrap();
    let runs = heft_measure::measure_main(&opts, &mains[0]).unwrap();
    runs[0].packages.iter().filter(|p| p.init_traced).map(|p| (p.path.clone(), (p.init_bytes, p.init_allocs))).collect()
}

fn compare(dir: &Path, pkg: &str, args: &[&str]) {
    let want = plain(dir, pkg, args);
    let got = measured(dir, pkg);
    assert!(want.len() > 10, "{want:?}");
    // Every package of the plain run, with the same numbers. (The probe run
    // stops before main.main, so it can only have fewer lines, never others.)
    for (p, w) in &want {
        if p == "main" {
            // The probe exits inside main's init, before inittrace prints main's line.
            continue;
        }
        if p == "internal/godebug" {
            // Varies between two plain runs too (120-122 allocs here): its
            // init races with the runtime's GODEBUG update notifications.
            continue;
        }
        let g = got.get(p).unwrap_or_else(|| panic!("{pkg}: {p} missing"));
        // Tolerance: one allocation (0.2% for inits that fill large maps,
        // whose overflow buckets depend on the random hash seed: tzdb's
        // 12167 allocations vary by a few between any two runs) and 64
        // bytes. With every allocation profiled, an allocation now and then
        // lands in a larger size class (seen: +16 B in pkg/tzdb's 587752 in
        // about 1 run in 7), and on a loaded machine an init was once
        // charged one extra small allocation (retain1m: 2 vs 1).
        let slack = (w.1 / 500).max(1);
        assert!(g.1.abs_diff(w.1) <= slack, "{pkg}: allocs of {p}: {} vs plain {}", g.1, w.1);
        assert!(g.0.abs_diff(w.0) <= (w.0 / 500).max(64), "{pkg}: bytes of {p}: {} vs plain {}", g.0, w.0);
    }
    assert_eq!(got.len(), want.len() - usize::from(want.contains_key("main")), "{pkg}: {got:?}");
}

#[test]
fn tomlv_matches_plain_inittrace() {
    // go build -overlay refuses to replace files beneath GOMODCACHE, so the
    // module is measured from a copy (heft measure reports go's error as is).
    let src = module_dir("github.com/BurntSushi/toml", "v1.6.0");
    let dir = std::env::temp_dir().join(format!("heft-measure-toml-{}", std::process::id()));
    copy_tree(&src, &dir);
    compare(&dir, "./cmd/tomlv", &[]);
    make_writable(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let t = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &t);
        } else {
            std::fs::write(&t, std::fs::read(e.path()).unwrap()).unwrap();
        }
    }
}

fn make_writable(dir: &Path) {
    let _ = dir; // files were written fresh (not copied with permissions): nothing to do
}

#[test]
fn agent_matches_plain_inittrace() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/busybox");
    compare(&dir, "./cmd/agent", &[]);
}
