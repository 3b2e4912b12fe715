//! Removal sets on a real program checked by brute force: for packages and
//! import edges of Prometheus, removing the package (or the edge) and
//! walking the graph again from the root leaves exactly what heft says.

use heft_graph::Graph;
use heft_graph::cuts::Cuts;
use heft_testkit::oracle::load_real_program;
use heft_testkit::{Platform, RealProgram};

/// Nodes reachable from `root` without `skip_node` / `skip_edge`.
fn reach(g: &Graph, root: u32, skip_node: Option<u32>, skip_edge: Option<u32>) -> Vec<bool> {
    let mut seen = vec![false; g.node_count()];
    if skip_node == Some(root) {
        return seen;
    }
    seen[root as usize] = true;
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        for (e, &t) in g.edge_ids(v).zip(g.successors(v)) {
            if Some(e) == skip_edge || Some(t) == skip_node || seen[t as usize] {
                continue;
            }
            seen[t as usize] = true;
            stack.push(t);
        }
    }
    seen
}

fn removed(before: &[bool], after: &[bool]) -> Vec<u32> {
    (0..before.len() as u32).filter(|&i| before[i as usize] && !after[i as usize]).collect()
}

#[test]
fn removal_sets_on_prometheus() {
    let (_, prog) = load_real_program(RealProgram::PROMETHEUS, "./cmd/prometheus", Platform::LINUX_AMD64);
    let g = Graph::from_successors(prog.packages.iter().map(|p| p.imports.iter().map(|i| i.target)));
    let root = prog.roots[0];
    let cuts = Cuts::new(&g, &[root]);
    let all = reach(&g, root, None, None);

    for v in 0..g.node_count() as u32 {
        let mut got = cuts.node_removal(v).to_vec();
        got.sort_unstable();
        assert_eq!(got, removed(&all, &reach(&g, root, Some(v), None)), "package {}", prog.package(v).path);
    }
    let mut freeing = 0;
    for e in 0..g.edge_count() as u32 {
        // Every edge that frees something, and a third of the others.
        if cuts.edge_removal_count(e) == 0 && e % 3 != 0 {
            continue;
        }
        let mut got = cuts.edge_removal(e).to_vec();
        got.sort_unstable();
        let want = removed(&all, &reach(&g, root, None, Some(e)));
        let (a, b) = g.edge(e);
        assert_eq!(got, want, "edge {} -> {}", prog.package(a).path, prog.package(b).path);
        freeing += usize::from(!want.is_empty());
    }
    assert!(freeing > 100, "only {freeing} edges free something: the test lost its teeth");
}

/// `heft ./...` on a repository of many packages takes its main packages as
/// the binaries, as `go build ./...` would build them, and skips the rest.
#[test]
fn report_on_all_of_prometheus_takes_its_main_packages() {
    let dir = RealProgram::PROMETHEUS.prepare("./...", &[Platform::LINUX_AMD64]);
    let listed = heft_testkit::go::run(
        heft_testkit::go(["list", "-f", "{{if eq .Name \"main\"}}{{.ImportPath}}{{end}}", "./..."])
            .current_dir(&dir)
            .env("GOWORK", "off")
            .envs(Platform::LINUX_AMD64.env()),
    );
    let mains: Vec<String> =
        String::from_utf8_lossy(&listed.stdout).lines().filter(|l| !l.is_empty()).map(String::from).collect();
    assert!(mains.len() >= 3, "{mains:?}");
    let out = crate::env::heft_command()
        .args(["--json", "--no-findings", "--top", "1", "./..."])
        .current_dir(&dir)
        .env("GOWORK", "off")
        .envs(Platform::LINUX_AMD64.env())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let roots: Vec<&str> = doc["binaries"].as_array().unwrap().iter().map(|b| b["root"].as_str().unwrap()).collect();
    assert_eq!(roots, mains);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{} main package(s) of", mains.len())) && stderr.contains("skipped"), "{stderr}");
}
