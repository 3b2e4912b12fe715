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

/// At monorepo scale the default outputs fit a screen: the report on every
/// binary of Prometheus and `heft findings` on its server, each section cut
/// to its first entries with how many more there are, while --json keeps
/// everything; generated files are left out, counted.
#[test]
fn findings_and_the_report_fit_a_screen_on_prometheus() {
    let dir = RealProgram::PROMETHEUS.prepare("./...", &[Platform::LINUX_AMD64]);
    let heft = |args: &[&str]| {
        let out = crate::env::heft_command()
            .args(args)
            .current_dir(&dir)
            .env("GOWORK", "off")
            .envs(Platform::LINUX_AMD64.env())
            .output()
            .unwrap();
        assert!(out.status.success(), "heft {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let report = heft(&["./..."]);
    assert!(report.lines().count() <= 150, "the report is {} lines:\n{report}", report.lines().count());
    assert!(report.contains("findings (each with its chain and recipe: heft findings):"), "{report}");

    let text = heft(&["findings", "./cmd/prometheus"]);
    assert!(text.lines().count() <= 300, "findings are {} lines", text.lines().count());
    let doc: serde_json::Value = serde_json::from_str(&heft(&["findings", "--json", "./cmd/prometheus"])).unwrap();
    let packages = doc["eagerInit"]["packages"].as_array().unwrap();
    assert!(packages.len() > 10, "{} packages with eager init", packages.len());
    assert!(text.contains(&format!("... and {} more packages (--all lists every one)", packages.len() - 10)), "{text}");
    assert!(doc["eagerInit"]["leftOut"]["generated"].as_u64().unwrap() > 0, "{:#}", doc["eagerInit"]["leftOut"]);
    assert!(doc["eagerInit"]["leftOut"]["dependencyPackages"].as_u64().unwrap() > 500);
    for p in packages {
        assert!(p["package"].as_str().unwrap().starts_with("github.com/prometheus/prometheus"), "{}", p["package"]);
        for d in p["initializers"].as_array().unwrap() {
            let recipe = d["recipe"].as_str().unwrap();
            assert!(!recipe.contains("func() T ") && !recipe.contains("(T1, T2)"), "{recipe}");
            assert!(!d["location"]["file"].as_str().unwrap().ends_with(".pb.go"), "{d:#}");
        }
    }
    assert_eq!(doc["eagerInit"]["rankedBy"], "estimate");
}

/// "Move or copy it" holds when applied: for every small-function recipe
/// among the 30 heaviest cuts and the 30 cheapest of two real programs,
/// the function's own imports (what its body names, and what the
/// functions of its package it calls name: heft-syntax's
/// `function_imports`) and everything they import do not reach the cut's
/// removal set — copying it frees what the cut promises; and where they
/// do, the recipe is "pass it in", naming packages of that set.
#[test]
fn copied_functions_do_not_keep_what_the_cut_removes() {
    use heft_analyze::cuts::{attach_anatomy, attach_uses, cheapest_per_chain, rank_cuts};
    use heft_analyze::{ImportGraph, Recipe, Weights};

    let mut checked = Vec::new();
    for (program, pattern) in [(RealProgram::PROMETHEUS, "./cmd/prometheus"), (RealProgram::K9S, ".")] {
        // load_real_program asserts the load is complete.
        let (_, prog) = load_real_program(program, pattern, Platform::LINUX_AMD64);
        let ig = ImportGraph::of(&prog);
        let weights = Weights::of(&prog);
        let mut warnings = Vec::new();
        let mut heaviest = rank_cuts(&prog, &ig, &prog.roots, &weights, false, false);
        heaviest.truncate(30);
        let mut cheapest = rank_cuts(&prog, &ig, &prog.roots, &weights, false, true);
        attach_uses(&prog, &ig, &mut cheapest, &mut warnings);
        let mut cheapest = cheapest_per_chain(cheapest);
        cheapest.truncate(30);
        let mut rows: Vec<_> = heaviest.into_iter().chain(cheapest).collect();
        attach_anatomy(&prog, &ig, &mut rows, &mut warnings);
        assert!(warnings.is_empty(), "{}: {warnings:?}", program.module);
        let mut seen = std::collections::HashSet::new();
        for row in rows.iter().filter(|r| seen.insert(r.edge)) {
            let (name, reaches) = match &row.recipe {
                Some(Recipe::SmallFunction { name, .. }) => (name, None),
                Some(Recipe::PassItIn { name, reaches }) => (name, Some(reaches)),
                _ => continue,
            };
            let (a, b) = ig.graph.edge(row.edge);
            let pb = prog.package(b);
            let files: Vec<String> = pb.source_files().map(str::to_string).collect();
            let names: std::collections::HashMap<String, String> =
                pb.imports.iter().map(|i| (i.path.clone(), prog.package(i.target).name.clone())).collect();
            let own = heft_syntax::function_imports(&pb.dir, &files, name, &names)
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|| panic!("{}: no function {name}", pb.path));
            // The copy's imports and their closure in the import graph.
            let starts: Vec<u32> = pb.imports.iter().filter(|i| own.contains(&i.path)).map(|i| i.target).collect();
            let closure = ig.graph.reachable_from(&starts);
            let kept: Vec<&str> = row
                .removed
                .iter()
                .filter(|&&id| id != b && closure[id as usize])
                .map(|&id| prog.package(id).path.as_str())
                .collect();
            let edge = format!("{} -> {} ({name})", prog.package(a).path, pb.path);
            match reaches {
                None => assert!(kept.is_empty(), "{edge}: copying {name} keeps {kept:?} of what the cut removes"),
                Some(reaches) => {
                    assert!(!kept.is_empty(), "{edge}: pass it in, but a copy keeps nothing the cut removes");
                    for p in reaches {
                        assert!(kept.contains(&p.as_str()), "{edge}: {p} is not kept by a copy: {kept:?}");
                    }
                }
            }
            checked.push(format!("{edge}: {}", row.recipe.as_ref().unwrap().label()));
        }
    }
    eprintln!("{}", checked.join("\n"));
    assert!(checked.len() >= 3, "too few small functions to check: {checked:?}");
}

/// Cuts that take a part of the program with them rank after every other,
/// and the mark agrees with brute force on k9s, Prometheus and GitHub's
/// CLI: walking the graph without the edge gives the removal set, and the
/// user's share of it (packages, source bytes, of all the user's code), and
/// the user's packages the imported package reaches outside it, decide the
/// mark — but for blank and constants-only imports, which the full anatomy
/// must confirm. Marked: k9s' `cmd -> internal/view` (its whole UI), gh's
/// `pkg/cmd/root -> pkg/cmd/gist` (a subcommand, "1 identifier:
/// NewCmdGist") and `internal/ghcmd -> pkg/cmd/root` (most of gh's code).
/// Not marked: Prometheus' service discovery plugins, which drag cloud SDKs.
#[test]
fn program_structure_ranks_last() {
    use heft_analyze::cuts::{CutRow, attach_anatomy, rank_cuts};
    use heft_analyze::{ImportGraph, Recipe, Weights};

    // Imports (importer, imported, in the program's module) and whether each is structure.
    type Named = &'static [(&'static str, &'static str, bool)];
    let cases: [(RealProgram, &str, Named); 3] = [
        (RealProgram::K9S, ".", &[("cmd", "internal/view", true)]),
        (RealProgram::PROMETHEUS, "./cmd/prometheus", &[("plugins", "discovery/kubernetes", false)]),
        (
            RealProgram::GH,
            "./cmd/gh",
            &[("pkg/cmd/root", "pkg/cmd/gist", true), ("internal/ghcmd", "pkg/cmd/root", true)],
        ),
    ];
    for (program, pattern, named) in cases {
        let (_, prog) = load_real_program(program, pattern, Platform::LINUX_AMD64);
        let ig = ImportGraph::of(&prog);
        let weights = Weights::of(&prog);
        let g = &ig.graph;
        let root = prog.roots[0];
        let all = reach(g, root, None, None);
        let own: Vec<bool> = prog
            .packages
            .iter()
            .map(|p| p.path == program.module || p.path.starts_with(&format!("{}/", program.module)))
            .collect();
        let bytes = |ids: &mut dyn Iterator<Item = u32>| ids.map(|id| prog.package(id).source_bytes).sum::<u64>();
        let own_linked = bytes(&mut (0..g.node_count() as u32).filter(|&id| all[id as usize] && own[id as usize]));
        let mut marked = 0;
        let mut exempt: Vec<u32> = Vec::new();
        for every_edge in [false, true] {
            let rows = rank_cuts(&prog, &ig, &prog.roots, &weights, false, every_edge);
            let last_unmarked = rows.iter().rposition(|r| r.structure.is_none());
            let first_marked = rows.iter().position(|r| r.structure.is_some());
            assert!(
                first_marked >= last_unmarked.map(|i| i + 1),
                "{}: a marked row ranks before a cut",
                program.module
            );
            for row in &rows {
                let (a, b) = g.edge(row.edge);
                let gone = removed(&all, &reach(g, root, None, Some(row.edge)));
                let own_removed = bytes(&mut gone.iter().copied().filter(|&id| own[id as usize]));
                let all_removed = bytes(&mut gone.iter().copied());
                let own_packages = gone.iter().filter(|&&id| own[id as usize]).count();
                let below = reach(g, b, None, None);
                let own_kept = bytes(
                    &mut (0..g.node_count() as u32)
                        .filter(|&id| below[id as usize] && own[id as usize] && !gone.contains(&id)),
                );
                let mostly_own = 2 * own_packages >= gone.len() || 2 * own_removed >= all_removed;
                let takes_most = 2 * own_removed > own_linked;
                let want = own[b as usize] && (takes_most || (mostly_own && own_kept >= own_removed));
                let edge = format!("{} -> {}", prog.package(a).path, prog.package(b).path);
                if want && row.structure.is_none() {
                    // Blank or constants only, said the text tests: the anatomy checks it below.
                    exempt.push(row.edge);
                    continue;
                }
                assert_eq!(
                    row.structure.is_some(),
                    want,
                    "{edge}: {own_packages} of {} packages, {own_removed} of {all_removed} bytes own, {own_kept} kept",
                    gone.len()
                );
                if let Some(s) = row.structure {
                    assert_eq!(
                        (s.own_removed, s.own_kept, s.own_linked),
                        (own_removed, own_kept, own_linked),
                        "{edge}"
                    );
                    marked += 1;
                }
            }
            for &(from, to, structure) in named {
                let named = (format!("{}/{from}", program.module), format!("{}/{to}", program.module));
                let row = rows
                    .iter()
                    .find(|r| {
                        let (a, b) = g.edge(r.edge);
                        (prog.package(a).path.clone(), prog.package(b).path.clone()) == named
                    })
                    .unwrap_or_else(|| panic!("{} -> {} is not a cut", named.0, named.1));
                assert_eq!(row.structure.is_some(), structure, "{} -> {}", named.0, named.1);
            }
        }
        assert!(marked > 0, "{}: nothing marked", program.module);
        let mut exempt: Vec<CutRow> = rank_cuts(&prog, &ig, &prog.roots, &weights, false, true)
            .into_iter()
            .filter(|r| exempt.contains(&r.edge))
            .collect();
        let mut warnings = Vec::new();
        attach_anatomy(&prog, &ig, &mut exempt, &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        for row in &exempt {
            let (a, b) = g.edge(row.edge);
            let edge = format!("{} -> {}", prog.package(a).path, prog.package(b).path);
            let blank_or_constants =
                matches!(row.recipe, Some(Recipe::ConstantsOnly { .. } | Recipe::NothingUsed { blank: true, .. }));
            assert!(blank_or_constants, "{edge}: {:?}", row.recipe);
        }
        eprintln!(
            "{}: {marked} marked, {} blank or constants-only imports left unmarked",
            program.module,
            exempt.len()
        );
    }
}
