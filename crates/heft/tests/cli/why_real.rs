//! `heft why` on a real program: every hop is an import go list reports,
//! every cited file:line really imports the next package, chains have the
//! length of a brute-force shortest path, and `--all` holds every shortest
//! chain.

use std::collections::{HashMap, HashSet, VecDeque};

use heft_graph::Graph;
use heft_graph::why::{Chains, all_chains, shortest_chain};
use heft_testkit::oracle::load_real_program;
use heft_testkit::{Platform, RealProgram, go};

/// Imports the toolchain adds, which go list shows in Deps, not Imports.
const IMPLICIT: &[&str] = &["runtime", "runtime/cgo", "unsafe", "syscall", "math"];

#[derive(serde::Deserialize, Default)]
#[serde(rename_all = "PascalCase", default)]
struct Listed {
    import_path: String,
    imports: Vec<String>,
    deps: Vec<String>,
}

type GoGraph = HashMap<String, Vec<String>>;

/// go list's graph: source imports plus the implicit ones among Deps.
fn go_graph(dir: &std::path::Path, pattern: &str) -> GoGraph {
    let out = go(["list", "-deps", "-json", pattern])
        .current_dir(dir)
        .env("GOWORK", "off")
        .envs(Platform::LINUX_AMD64.env())
        .output()
        .expect("go list");
    assert!(out.status.success(), "go list: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter::<Listed>()
        .map(|p| {
            let p = p.expect("go list json");
            let mut edges: Vec<String> = p.imports.into_iter().filter(|i| i != "C").collect();
            for dep in p.deps {
                if IMPLICIT.contains(&dep.as_str()) && !edges.contains(&dep) && dep != p.import_path {
                    edges.push(dep);
                }
            }
            (p.import_path, edges)
        })
        .collect()
}

/// Brute-force BFS distances over `edges`.
fn bfs<'a>(edges: &'a HashMap<&'a str, Vec<&'a str>>, from: &'a str) -> HashMap<&'a str, usize> {
    let mut dist = HashMap::from([(from, 0)]);
    let mut q = VecDeque::from([from]);
    while let Some(v) = q.pop_front() {
        let d = dist[v];
        for &s in edges.get(v).map(Vec::as_slice).unwrap_or(&[]) {
            if !dist.contains_key(s) {
                dist.insert(s, d + 1);
                q.push_back(s);
            }
        }
    }
    dist
}

#[test]
fn why_on_prometheus() {
    let pattern = "./cmd/prometheus";
    let (dir, prog) = load_real_program(RealProgram::PROMETHEUS, pattern, Platform::LINUX_AMD64);
    let want = go_graph(&dir, pattern);
    let forward: HashMap<&str, Vec<&str>> =
        want.iter().map(|(a, bs)| (a.as_str(), bs.iter().map(String::as_str).collect())).collect();
    let mut backward: HashMap<&str, Vec<&str>> = HashMap::new();
    for (a, bs) in &forward {
        for b in bs {
            backward.entry(b).or_default().push(a);
        }
    }
    let root = prog.roots[0];
    let root_path = prog.package(root).path.as_str();
    let dist = bfs(&forward, root_path);
    let g = Graph::from_successors(prog.packages.iter().map(|p| p.imports.iter().map(|i| i.target)));

    let mut checked = 0;
    for (i, p) in prog.packages.iter().enumerate().step_by(7) {
        let chain = shortest_chain(&g, root, i as u32).expect("reachable");
        assert_eq!(chain.len() - 1, dist[p.path.as_str()], "chain length to {}", p.path);
        for w in chain.windows(2) {
            let (a, b) = (prog.package(w[0]), prog.package(w[1]));
            assert!(want[&a.path].contains(&b.path), "hop {} -> {} is not an import go list reports", a.path, b.path);
        }
        checked += 1;
    }
    assert!(checked > 150, "checked {checked} chains");

    // --all holds every shortest chain: brute force them in go list's graph.
    for target in ["github.com/prometheus/common/model", "golang.org/x/net/http2", "google.golang.org/grpc"] {
        let t = prog.lookup(target).unwrap_or_else(|| panic!("{target} not linked"));
        let to_target = bfs(&backward, target);
        let mut brute: HashSet<Vec<&str>> = HashSet::new();
        let mut stack = vec![vec![root_path]];
        while let Some(path) = stack.pop() {
            let last = *path.last().unwrap();
            if last == target {
                brute.insert(path);
                continue;
            }
            for &s in &forward[last] {
                if to_target.get(s).is_some_and(|&d| d + 1 == to_target[last]) {
                    let mut next = path.clone();
                    next.push(s);
                    stack.push(next);
                }
            }
            assert!(brute.len() < 10_000, "too many shortest chains to brute force");
        }
        let listed = match all_chains(&g, root, t, 200) {
            Chains::All(chains) => chains,
            Chains::TooMany { shortest, .. } => shortest,
        };
        let got: HashSet<Vec<&str>> = listed
            .iter()
            .filter(|c| c.len() - 1 == dist[target])
            .map(|c| c.iter().map(|&id| prog.package(id).path.as_str()).collect())
            .collect();
        assert_eq!(got, brute, "shortest chains to {target}");
    }

    // The command itself: every hop's file:line imports the next package.
    let out = crate::env::heft_command()
        .args(["why", pattern, "golang.org/x/net/http2"])
        .current_dir(&dir)
        .env("GOWORK", "off")
        .envs(Platform::LINUX_AMD64.env())
        .output()
        .expect("heft why");
    assert!(out.status.success(), "heft why: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], root_path);
    assert_eq!(lines.len() - 1, dist["golang.org/x/net/http2"]);
    for line in &lines[1..] {
        let (pkg, site) = line.trim_start_matches("  -> ").split_once("  (").expect("hop line");
        let site = site.trim_end_matches(')').split(" +").next().unwrap();
        let (file, lineno) = site.rsplit_once(':').expect("file:line");
        let path = if std::path::Path::new(file).is_absolute() { file.into() } else { dir.join(file) };
        let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        let at = src.lines().nth(lineno.parse::<usize>().unwrap() - 1).unwrap();
        assert!(at.contains(&format!("\"{pkg}\"")), "{file}:{lineno} is {at:?}, not an import of {pkg}");
    }
}
