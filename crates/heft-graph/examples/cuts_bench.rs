//! Times the all-edges cut analysis on a synthetic import graph (run by `bench/cuts.sh`).
//!
//! The graph is shaped like a large Go program's: a layered DAG (packages import deeper, more basic
//! ones), a few main packages as roots, every package imported by at least one shallower package, skewed
//! out-degrees (a few packages import hundreds) and skewed popularity (a few packages are imported by
//! thousands). Usage: `cuts_bench [runs] [edges] [nodes] [seed]`.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use heft_graph::Graph;
use heft_graph::cuts::Cuts;
use heft_graph::dominators::DomTree;
use heft_graph::evict::evict;

fn main() {
    let arg = |i: usize, default: u64| std::env::args().nth(i).map_or(default, |s| s.parse().expect("a number"));
    let runs = arg(1, 21) as usize;
    let edges = arg(2, 100_000) as usize;
    let nodes = arg(3, 15_000) as u32;
    let seed = arg(4, 1);
    let roots_n = 4;

    let (g, roots) = import_graph(nodes, edges, roots_n, seed);
    let mut rng = Rng(seed ^ 0xDEAD_BEEF | 1);
    let bytes: Vec<u64> = (0..nodes).map(|_| 1_000 + rng.below(200_000)).collect();
    let allocs: Vec<u64> = (0..nodes).map(|_| if rng.below(20) == 0 { rng.below(50_000) } else { 0 }).collect();

    let cuts = Cuts::new(&g, &roots);
    let reachable = cuts.dom_tree().preorder().len();
    let counts = cuts.edge_removal_counts();
    let freeing = counts.iter().filter(|&&c| c > 0).count();
    let heads = (0..g.edge_count() as u32).filter(|&e| cuts.chain_head(e) == Some(e)).count();
    println!(
        "graph: {} nodes ({reachable} reachable), {} edges, {} roots; {freeing} edges remove something, in {heads} chains",
        g.node_count(),
        g.edge_count(),
        roots.len()
    );

    // The literal construction (every edge split by a virtual node) must agree with the shortcut.
    assert_eq!(split_graph_counts(&g, &roots), counts, "split-graph counts differ");

    let all_edges = time(runs, || {
        let cuts = Cuts::new(&g, &roots);
        let counts = cuts.edge_removal_counts();
        let sums = cuts.edge_weights(&[&bytes, &allocs]);
        black_box((counts, sums));
    });
    report("all-edges pass (Cuts::new + counts + 2 weight sums per edge)", &all_edges);
    let dom = time(runs, || {
        black_box(DomTree::new(&g, &roots));
    });
    report("  of which the dominator tree (DomTree::new)", &dom);
    let split = time(runs, || {
        black_box(split_graph_counts(&g, &roots));
    });
    report("literal split-graph construction (n+m nodes, 2m edges), counts only", &split);

    // An eviction: 40 popular deep packages (a module, say), unit costs.
    let targets: Vec<u32> = {
        let mut by_in: Vec<(usize, u32)> = vec![(0, 0); nodes as usize];
        for (v, slot) in by_in.iter_mut().enumerate() {
            slot.1 = v as u32;
        }
        for e in 0..g.edge_count() as u32 {
            by_in[g.edge(e).1 as usize].0 += 1;
        }
        by_in.sort_unstable_by(|a, b| b.cmp(a));
        by_in[200..240].iter().map(|&(_, v)| v).collect()
    };
    let costs = vec![1u64; g.edge_count()];
    let plan = evict(&g, &roots, &targets, &costs).expect("cuttable");
    let ev = time(runs.min(7), || {
        black_box(evict(&g, &roots, &targets, &costs).expect("cuttable"));
    });
    report(&format!("eviction of 40 popular packages (unit costs, plan of {} edges)", plan.edges.len()), &ev);
}

/// Removal counts per edge the way DESIGN.md states it: split each edge, dominators once, count the real
/// nodes under each edge node.
fn split_graph_counts(g: &Graph, roots: &[u32]) -> Vec<u32> {
    let n = g.node_count() as u32;
    let m = g.edge_count() as u32;
    let split = Graph::from_successors(
        (0..n).map(|v| g.edge_ids(v).map(|e| n + e).collect::<Vec<_>>()).chain((0..m).map(|e| vec![g.edge(e).1])),
    );
    let dom = DomTree::new(&split, roots);
    let real: Vec<u64> = (0..n + m).map(|v| (v < n) as u64).collect();
    let sums = dom.subtree_sums(&[&real]);
    sums[0][n as usize..].iter().map(|&c| c as u32).collect()
}

fn time(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f(); // warm-up
    let mut out: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    out.sort();
    out
}

fn report(what: &str, sorted: &[Duration]) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "{what}: median {:.2} ms (min {:.2}, max {:.2}, {} runs)",
        ms(sorted[sorted.len() / 2]),
        ms(sorted[0]),
        ms(sorted[sorted.len() - 1]),
        sorted.len()
    );
}

/// A layered DAG of `nodes` nodes and exactly `edges` distinct edges, with `roots` roots in layer 0.
fn import_graph(nodes: u32, edges: usize, roots: u32, seed: u64) -> (Graph, Vec<u32>) {
    const LAYERS: u32 = 24;
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // Layer of each node in generation order (sorted by layer), ids shuffled afterwards.
    let mut layer: Vec<u32> =
        (0..nodes).map(|i| if i < roots { 0 } else { 1 + rng.below(LAYERS as u64 - 1) as u32 }).collect();
    layer.sort_unstable();
    let start: Vec<usize> = (0..=LAYERS).map(|l| layer.partition_point(|&x| x < l)).collect();
    let mut id: Vec<u32> = (0..nodes).collect();
    for i in (1..nodes as usize).rev() {
        id.swap(i, rng.below(i as u64 + 1) as usize);
    }

    let mut set: HashSet<(u32, u32)> = HashSet::with_capacity(edges);
    let mut succ = vec![Vec::new(); nodes as usize];
    let mut add = |a: usize, b: usize, succ: &mut Vec<Vec<u32>>| {
        if set.insert((a as u32, b as u32)) {
            succ[id[a] as usize].push(id[b]);
            true
        } else {
            false
        }
    };
    // Everything is imported by someone shallower, so all of it is in the binary.
    for b in roots as usize..nodes as usize {
        let a = rng.below(start[layer[b] as usize] as u64) as usize;
        add(a, b, &mut succ);
    }
    // The rest: importers by a Pareto-like weight (a few import hundreds), imported packages skewed to the
    // popular end of a deeper layer.
    let last = start[LAYERS as usize - 1];
    let mut cumulative = Vec::with_capacity(last);
    let mut total = 0.0f64;
    for _ in 0..last {
        let u = (rng.below(1 << 30) as f64 + 1.0) / (1u64 << 30) as f64;
        total += u.powf(-1.0 / 1.2).min(2_000.0);
        cumulative.push(total);
    }
    let mut count = set_len(&succ);
    while count < edges {
        let x = rng.below(1 << 40) as f64 / (1u64 << 40) as f64 * total;
        let a = cumulative.partition_point(|&c| c < x).min(last - 1);
        let l = layer[a] + 1 + rng.below((LAYERS - 1 - layer[a]) as u64) as u32;
        let (lo, hi) = (start[l as usize], start[l as usize + 1]);
        if lo == hi {
            continue;
        }
        let u = rng.below(1 << 30) as f64 / (1u64 << 30) as f64;
        let b = lo + ((hi - lo) as f64 * u.powf(2.5)) as usize;
        if add(a, b, &mut succ) {
            count += 1;
        }
    }
    let root_ids = (0..roots as usize).map(|r| id[r]).collect();
    (Graph::from_successors(succ), root_ids)
}

fn set_len(succ: &[Vec<u32>]) -> usize {
    succ.iter().map(Vec::len).sum()
}

/// xorshift64*.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}
