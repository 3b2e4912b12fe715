//! Edge anatomy checked against the Go type checker on a real program: for
//! a sample of Prometheus's own import edges, the identifiers of B that A's
//! non-test files use according to heft-syntax (tree-sitter, scopes, no
//! types) and according to go/types (a small Go helper this test writes and
//! builds). The agreement rate is recorded in docs/anatomy.md.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use heft_syntax::EdgeFiles;
use heft_testkit::oracle::load_real_program;
use heft_testkit::{Platform, RealProgram, go, scratch};
use serde::Deserialize;

/// The oracle: go/types over `go list -deps` (dependencies type-checked
/// without function bodies), one process for every edge.
const ORACLE: &str = r##"// Command oracle says, with go/types, which identifiers of an imported
// package an importer's non-test files use. It reads
// {"patterns": [...], "edges": [[importer, imported], ...]} on stdin, runs
// `go list -e -deps -json` for the patterns in the working directory,
// type-checks from source (dependencies without function bodies), and
// prints {"importer imported": {"top": [...], "members": [...]}, ...}.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
)

type listPkg struct {
	ImportPath string
	Dir        string
	Name       string
	GoFiles    []string
	CgoFiles   []string
	ImportMap  map[string]string
}

type request struct {
	Patterns []string
	Edges    [][2]string
}

type result struct {
	Top     []string `json:"top"`
	Members []string `json:"members"`
}

var (
	fset    = token.NewFileSet()
	listed  = map[string]*listPkg{}
	checked = map[string]*types.Package{}
	wanted  = map[string]bool{}
	infos   = map[string]*types.Info{}
)

type imp struct{ from *listPkg }

func (i imp) Import(path string) (*types.Package, error) { return i.ImportFrom(path, "", 0) }

func (i imp) ImportFrom(path, _ string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if i.from != nil {
		if p, ok := i.from.ImportMap[path]; ok {
			path = p
		}
	}
	return check(path)
}

func check(path string) (*types.Package, error) {
	if p, ok := checked[path]; ok {
		return p, nil
	}
	lp := listed[path]
	if lp == nil {
		return nil, fmt.Errorf("not listed: %s", path)
	}
	var files []*ast.File
	for _, f := range append(append([]string{}, lp.GoFiles...), lp.CgoFiles...) {
		af, err := parser.ParseFile(fset, filepath.Join(lp.Dir, f), nil, parser.SkipObjectResolution)
		if af != nil {
			files = append(files, af)
		} else if err != nil {
			return nil, err
		}
	}
	var info *types.Info
	if wanted[path] {
		info = &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
		infos[path] = info
	}
	conf := types.Config{
		Importer:         imp{lp},
		IgnoreFuncBodies: !wanted[path],
		FakeImportC:      true,
		Error:            func(error) {},
	}
	pkg, _ := conf.Check(path, fset, files, info)
	checked[path] = pkg
	return pkg, nil
}

func main() {
	var req request
	in, _ := io.ReadAll(os.Stdin)
	if err := json.Unmarshal(in, &req); err != nil {
		panic(err)
	}
	cmd := exec.Command("go", append([]string{"list", "-e", "-deps", "-json"}, req.Patterns...)...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		panic(err)
	}
	dec := json.NewDecoder(&out)
	for dec.More() {
		var p listPkg
		if err := dec.Decode(&p); err != nil {
			panic(err)
		}
		listed[p.ImportPath] = &p
	}
	for _, e := range req.Edges {
		wanted[e[0]] = true
	}
	res := map[string]result{}
	for _, e := range req.Edges {
		if _, err := check(e[0]); err != nil {
			panic(err)
		}
		info := infos[e[0]]
		top, members := map[string]bool{}, map[string]bool{}
		for _, obj := range info.Uses {
			if obj.Pkg() == nil || obj.Pkg().Path() != e[1] {
				continue
			}
			if _, ok := obj.(*types.PkgName); ok {
				continue
			}
			if obj.Parent() == obj.Pkg().Scope() {
				top[obj.Name()] = true
			}
		}
		for _, sel := range info.Selections {
			obj := sel.Obj()
			if obj.Pkg() == nil || obj.Pkg().Path() != e[1] {
				continue
			}
			t := sel.Recv()
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := t.(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == e[1] {
				members[n.Obj().Name()+"."+obj.Name()] = true
			}
		}
		r := result{Top: keys(top), Members: keys(members)}
		res[e[0]+" "+e[1]] = r
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(res); err != nil {
		panic(err)
	}
}

func keys(m map[string]bool) []string {
	out := []string{}
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
"##;

#[derive(Deserialize)]
struct OracleEdge {
    top: BTreeSet<String>,
    members: BTreeSet<String>,
}

/// Edges sampled: every STRIDE-th edge from a package of the main module.
const STRIDE: usize = 7;

#[test]
fn anatomy_agrees_with_go_types_on_prometheus() {
    check(RealProgram::PROMETHEUS, "./cmd/prometheus");
}

#[test]
fn anatomy_agrees_with_go_types_on_caddy() {
    check(RealProgram::CADDY, "./cmd/caddy");
}

fn check(program: RealProgram, pattern: &str) {
    let module = program.module;
    let (dir, prog) = load_real_program(program, pattern, Platform::LINUX_AMD64_NOCGO);
    let mut edges: Vec<(u32, u32)> = Vec::new();
    for (id, p) in prog.packages.iter().enumerate() {
        if !p.path.starts_with(&format!("{module}/")) && p.path != module {
            continue;
        }
        for i in &p.imports {
            if i.path != "C" && i.path != "unsafe" {
                edges.push((id as u32, i.target));
            }
        }
    }
    edges.sort_by(|a, b| {
        let k = |e: &(u32, u32)| (prog.package(e.0).path.clone(), prog.package(e.1).path.clone());
        k(a).cmp(&k(b))
    });
    let sample: Vec<(u32, u32)> = edges.iter().copied().step_by(STRIDE).collect();
    assert!(sample.len() >= 30, "{} edges sampled", sample.len());

    // The oracle, built in a scratch directory.
    let tmp = scratch("explain-oracle");
    let tmp = tmp.path();
    std::fs::write(tmp.join("main.go"), ORACLE).unwrap();
    std::fs::write(tmp.join("go.mod"), "module oracle\n\ngo 1.22\n").unwrap();
    let bin = tmp.join("oracle");
    let st = go(["build", "-o"]).arg(&bin).arg(".").current_dir(tmp).env("GOWORK", "off").status().unwrap();
    assert!(st.success(), "building the oracle");
    let names = |e: &(u32, u32)| [prog.package(e.0).path.clone(), prog.package(e.1).path.clone()];
    let req = serde_json::json!({
        "Patterns": [pattern],
        "Edges": sample.iter().map(names).collect::<Vec<_>>(),
    });
    let mut child = Command::new(&bin)
        .current_dir(&dir)
        .env("GOWORK", "off")
        .env("CGO_ENABLED", "0")
        .env("GOOS", "linux")
        .env("GOARCH", "amd64")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(req.to_string().as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "oracle failed");
    let want: BTreeMap<String, OracleEdge> = serde_json::from_slice(&out.stdout).expect("oracle JSON");

    let files = |p: &heft_load::Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    let file_lists: Vec<(Vec<String>, Vec<String>)> =
        sample.iter().map(|e| (files(prog.package(e.0)), files(prog.package(e.1)))).collect();
    let requests: Vec<EdgeFiles> = sample
        .iter()
        .zip(&file_lists)
        .map(|(e, (fa, fb))| EdgeFiles {
            importer_dir: &prog.package(e.0).dir,
            importer_files: fa,
            import_path: &prog.package(e.1).path,
            imported_dir: &prog.package(e.1).dir,
            imported_files: fb,
        })
        .collect();
    let t0 = std::time::Instant::now();
    let anatomies = heft_syntax::explain_edges(&requests);
    let elapsed = t0.elapsed();
    let (mut exact, mut ids_common, mut ids_all) = (0, 0, 0);
    let (mut mem_found, mut mem_all, mut mem_extra) = (0, 0, 0);
    let mut misses = Vec::new();
    let mut member_misses = Vec::new();
    for (e, an) in sample.iter().zip(anatomies) {
        let [a, b] = names(e);
        let an = an.expect("parse");
        let got: BTreeSet<String> = an.top_level().map(|i| i.name.clone()).collect();
        let got_members: BTreeSet<String> =
            an.idents.iter().filter(|i| !i.kind.is_top_level()).map(|i| i.name.clone()).collect();
        let w = &want[&format!("{a} {b}")];
        ids_common += got.intersection(&w.top).count();
        ids_all += got.union(&w.top).count();
        mem_found += got_members.intersection(&w.members).count();
        mem_all += w.members.len();
        mem_extra += got_members.difference(&w.members).count();
        let lost: Vec<_> = w.members.difference(&got_members).collect();
        if !lost.is_empty() {
            member_misses.push(format!("{a} -> {b}: {lost:?}"));
        }
        if got == w.top {
            exact += 1;
        } else {
            let missing: Vec<_> = w.top.difference(&got).collect();
            let extra: Vec<_> = got.difference(&w.top).collect();
            misses.push(format!("{a} -> {b}: missing {missing:?}, extra {extra:?}"));
        }
    }
    eprintln!(
        "{module}: anatomy vs go/types: {exact}/{} edges exact ({:.1}%), identifiers {ids_common}/{ids_all} ({:.1}%), \
         members found {mem_found}/{mem_all} ({:.1}%), {mem_extra} extra; heft parsed the sample in {elapsed:?}",
        sample.len(),
        100.0 * exact as f64 / sample.len() as f64,
        100.0 * ids_common as f64 / ids_all.max(1) as f64,
        100.0 * mem_found as f64 / mem_all.max(1) as f64,
    );
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    for m in &member_misses {
        eprintln!("  members not followed: {m}");
    }
    // Recorded in docs/anatomy.md; the floor guards against regressions.
    assert!(exact * 100 >= sample.len() * 95, "{exact}/{} edges exact", sample.len());
    assert!(ids_common * 1000 >= ids_all * 990, "{ids_common}/{ids_all} identifiers");
    assert!(mem_found * 100 >= mem_all * 80, "{mem_found}/{mem_all} members");
    assert!(mem_extra * 100 <= mem_all, "{mem_extra} members heft saw that go/types did not");
}

/// The time to explain the 100 import edges of Prometheus whose cut frees
/// the most packages (for BENCHMARKS.md; run in release:
/// `cargo test --release -p heft --test explain_real -- --ignored --nocapture`).
#[test]
#[ignore = "a measurement, not a check"]
fn time_to_explain_the_top_100_edges_of_prometheus() {
    let (_, prog) = load_real_program(RealProgram::PROMETHEUS, "./cmd/prometheus", Platform::LINUX_AMD64);
    let g = heft_graph::Graph::from_successors(prog.packages.iter().map(|p| p.imports.iter().map(|i| i.target)));
    let cuts = heft_graph::cuts::Cuts::new(&g, &prog.roots);
    let mut edges: Vec<(u32, u32, u32)> = Vec::new();
    for v in 0..g.node_count() as u32 {
        for (e, &t) in g.edge_ids(v).zip(g.successors(v)) {
            edges.push((cuts.edge_removal_count(e), v, t));
        }
    }
    edges.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    edges.truncate(100);
    let files = |p: &heft_load::Package| p.source_files().map(str::to_string).collect::<Vec<_>>();
    let lists: Vec<(Vec<String>, Vec<String>)> =
        edges.iter().map(|e| (files(prog.package(e.1)), files(prog.package(e.2)))).collect();
    let requests: Vec<EdgeFiles> = edges
        .iter()
        .zip(&lists)
        .map(|(e, (fa, fb))| EdgeFiles {
            importer_dir: &prog.package(e.1).dir,
            importer_files: fa,
            import_path: &prog.package(e.2).path,
            imported_dir: &prog.package(e.2).dir,
            imported_files: fb,
        })
        .collect();
    let t0 = std::time::Instant::now();
    let out = heft_syntax::explain_edges(&requests);
    let elapsed = t0.elapsed();
    let mut pkgs: Vec<u32> = edges.iter().flat_map(|e| [e.1, e.2]).collect();
    pkgs.sort_unstable();
    pkgs.dedup();
    let bytes: u64 = pkgs.iter().map(|&p| prog.package(p).source_bytes).sum();
    eprintln!("{} distinct packages, {:.1} MB of Go source", pkgs.len(), bytes as f64 / 1e6);
    let ok = out.iter().filter(|a| a.is_ok()).count();
    let cheap = out.iter().flatten().filter(|a| a.counts.identifiers <= 2).count();
    eprintln!("explained the top {} edges in {elapsed:?} ({ok} ok, {cheap} using at most 2 identifiers)", out.len());
    assert_eq!(ok, out.len());
}
