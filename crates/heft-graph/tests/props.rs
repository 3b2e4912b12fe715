//! Property tests: dominators, removal sets and eviction plans against brute force on thousands of small
//! random graphs (deterministic seeds). Node sets are u64 bit masks, so graphs have at most 64 nodes.

use heft_graph::Graph;
use heft_graph::cuts::Cuts;
use heft_graph::dominators::DomTree;
use heft_graph::evict::{EvictError, Plan, UNCUTTABLE, evict, evict_near_targets, reachable_without_edges};

/// xorshift64*: tiny and deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Edges follow a random topological order.
    Dag,
    /// Anything: cycles, self-loops, parallel edges.
    Cyclic,
    /// A random tree (one importer each) plus a few extra edges in any direction: many sole entries.
    TreeLike,
}

/// A random graph with `n` nodes of the given shape, at a random density, and 1–3 roots (possibly
/// repeated; for DAGs and trees they lean to the top of the order, where most of the graph is reachable).
fn random_graph(rng: &mut Rng, n: u32, shape: Shape) -> (Graph, Vec<u32>) {
    let avg_degree = [0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0][rng.below(7) as usize];
    let mut m = (rng.below((n as f64 * avg_degree * 2.0) as u64 + 1)) as usize;
    let mut perm: Vec<u32> = (0..n).collect();
    for i in (1..n as usize).rev() {
        perm.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut succ = vec![Vec::new(); n as usize];
    if let Shape::TreeLike = shape {
        for i in 1..n as usize {
            let parent = perm[rng.below(i as u64) as usize];
            succ[parent as usize].push(perm[i]);
        }
        m = rng.below(n as u64 / 4 + 2) as usize;
    }
    for _ in 0..m {
        let (a, b) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
        if let Shape::Dag = shape {
            if a == b {
                continue;
            }
            let (a, b) = (perm[a.min(b) as usize], perm[a.max(b) as usize]);
            if !succ[a as usize].contains(&b) {
                succ[a as usize].push(b);
            }
        } else {
            succ[a as usize].push(b);
        }
    }
    let roots = (0..1 + rng.below(3)).map(|_| {
        let i = if let Shape::Cyclic = shape { rng.below(n as u64) } else { rng.below(n.div_ceil(3) as u64) };
        perm[i as usize]
    });
    (Graph::from_successors(succ), roots.collect())
}

/// Reachable set from `roots`, skipping node `skip_node` and edge `skip_edge`, as a bit mask.
fn reach(g: &Graph, roots: &[u32], skip_node: Option<u32>, skip_edge: Option<u32>) -> u64 {
    let mut seen = 0u64;
    let mut stack = Vec::new();
    for &r in roots {
        if Some(r) != skip_node && seen & (1 << r) == 0 {
            seen |= 1 << r;
            stack.push(r);
        }
    }
    while let Some(v) = stack.pop() {
        for (e, &w) in g.edge_ids(v).zip(g.successors(v)) {
            if Some(e) != skip_edge && Some(w) != skip_node && seen & (1 << w) == 0 {
                seen |= 1 << w;
                stack.push(w);
            }
        }
    }
    seen
}

/// A node list as a mask, checking it has no duplicates.
fn mask(nodes: &[u32]) -> u64 {
    let m = nodes.iter().fold(0u64, |m, &v| m | 1 << v);
    assert_eq!(m.count_ones() as usize, nodes.len(), "duplicates in {nodes:?}");
    m
}

/// What the random graphs exercised, so that a generator change cannot quietly make the tests trivial.
#[derive(Default, Debug)]
struct Seen {
    freeing_edges: usize,
    empty_edges: usize,
    long_chains: usize,
    shared_top: usize,
}

fn check_graph(g: &Graph, roots: &[u32], rng: &mut Rng, ctx: &str, seen: &mut Seen) {
    let n = g.node_count() as u32;
    let all = reach(g, roots, None, None);
    let cuts = Cuts::new(g, roots);
    let dom = cuts.dom_tree();
    let weights: Vec<u64> = (0..n).map(|_| rng.below(1000)).collect();
    let node_sums = cuts.node_weights(&[&weights]);
    let sum = |m: u64| (0..n).filter(|&v| m & (1 << v) != 0).map(|v| weights[v as usize]).sum::<u64>();

    // Nodes: removal set = reachable minus reachable without the node; dominance is the same relation.
    let removed: Vec<u64> = (0..n).map(|v| all & !reach(g, roots, Some(v), None)).collect();
    for v in 0..n {
        assert_eq!(dom.is_reachable(v), all & (1 << v) != 0, "{ctx}: reachable {v}");
        assert_eq!(mask(cuts.node_removal(v)), removed[v as usize], "{ctx}: node {v}");
        assert_eq!(dom.subtree_size(v), removed[v as usize].count_ones(), "{ctx}: size {v}");
        assert_eq!(node_sums[0][v as usize], sum(removed[v as usize]), "{ctx}: node weight {v}");
        for d in 0..n {
            assert_eq!(dom.dominates(d, v), removed[d as usize] & (1 << v) != 0, "{ctx}: {d} dom {v}");
        }
        // The immediate dominator is the strict dominator every other strict dominator dominates.
        let strict: Vec<u32> = (0..n).filter(|&d| d != v && removed[d as usize] & (1 << v) != 0).collect();
        let want = strict.iter().copied().find(|&d| strict.iter().all(|&o| removed[o as usize] & (1 << d) != 0));
        assert_eq!(dom.idom(v), want, "{ctx}: idom {v}");
        for &c in dom.children(v) {
            assert_eq!(dom.idom(c), Some(v), "{ctx}: child {c} of {v}");
        }
    }
    let children: usize = (0..n).map(|v| dom.children(v).len()).sum::<usize>() + dom.top().len();
    assert_eq!(children as u32, all.count_ones(), "{ctx}: every reachable node has one parent");
    assert!(dom.top().iter().all(|&t| dom.is_reachable(t) && dom.idom(t).is_none()), "{ctx}: top");
    assert_eq!(mask(dom.preorder()), all, "{ctx}: preorder");
    seen.shared_top += dom.top().iter().filter(|t| !roots.contains(t)).count();

    // Edges: removal set = reachable minus reachable without the edge.
    let edge_sums = cuts.edge_weights(&[&weights, &vec![1; n as usize]]);
    let counts = cuts.edge_removal_counts();
    let mut entries = vec![0u32; n as usize];
    for e in 0..g.edge_count() as u32 {
        let want = all & !reach(g, roots, None, Some(e));
        let got = cuts.edge_removal(e);
        assert_eq!(mask(got), want, "{ctx}: edge {e} {:?}", g.edge(e));
        assert_eq!(counts[e as usize], want.count_ones(), "{ctx}: count {e}");
        assert_eq!(cuts.edge_removal_count(e), want.count_ones(), "{ctx}: count {e}");
        assert_eq!(edge_sums[0][e as usize], sum(want), "{ctx}: edge weight {e}");
        assert_eq!(edge_sums[1][e as usize], want.count_ones() as u64, "{ctx}: edge ones {e}");
        let (_, b) = g.edge(e);
        match cuts.edge_frees(e) {
            Some(top) => {
                assert_eq!(top, b, "{ctx}: edge {e} frees its target");
                assert_eq!(got[0], b, "{ctx}: edge {e} set starts with its target");
                assert_eq!(cuts.sole_entry(b), Some(e), "{ctx}: sole entry {b}");
                entries[b as usize] += 1;
                seen.freeing_edges += 1;
                seen.long_chains += (cuts.chain_head(e) == Some(e) && cuts.chain(e).len() > 2) as usize;
            }
            None => {
                assert!(got.is_empty());
                seen.empty_edges += 1;
            }
        }
        check_chain(g, &cuts, e, ctx);
    }
    for v in 0..n {
        assert_eq!(cuts.sole_entry(v).is_some(), entries[v as usize] == 1, "{ctx}: sole entry of {v}");
    }
    check_split_graph(g, roots, &cuts, ctx);
}

/// Chains: consecutive edges' removal sets differ by one node, and chains are maximal.
fn check_chain(g: &Graph, cuts: &Cuts, e: u32, ctx: &str) {
    let chain = cuts.chain(e);
    if cuts.edge_removal(e).is_empty() {
        assert!(chain.is_empty() && cuts.chain_head(e).is_none(), "{ctx}: chain of {e}");
        return;
    }
    assert!(chain.contains(&e), "{ctx}: {e} in its chain {chain:?}");
    assert_eq!(cuts.chain_head(e), Some(chain[0]), "{ctx}: head of {e}");
    for w in chain.windows(2) {
        let (upper, lower) = (mask(cuts.edge_removal(w[0])), mask(cuts.edge_removal(w[1])));
        let (_, b) = g.edge(w[0]);
        assert_eq!(upper, lower | 1 << b, "{ctx}: chain step {w:?}");
        assert_eq!(g.edge(w[1]).0, b, "{ctx}: chain edges meet");
    }
    for &c in &chain {
        assert_eq!(cuts.chain(c), chain, "{ctx}: same chain from every member");
    }
    // Maximal upward: the head's importer either has no sole entry or dominates more than the head's target.
    let (a, b) = g.edge(chain[0]);
    let dom = cuts.dom_tree();
    assert!(cuts.sole_entry(a).is_none() || dom.children(a) != [b], "{ctx}: chain {chain:?} extends up");
    // Maximal downward.
    let (_, last) = g.edge(*chain.last().unwrap());
    if let [c] = *dom.children(last) {
        assert!(cuts.sole_entry(c).is_none(), "{ctx}: chain {chain:?} extends down");
    }
}

/// The construction of the design: split every edge by a virtual node, dominators once, and read each
/// edge's removal set as the real nodes its virtual node dominates. Must agree with [`Cuts`].
fn check_split_graph(g: &Graph, roots: &[u32], cuts: &Cuts, ctx: &str) {
    let n = g.node_count() as u32;
    let split = Graph::from_successors(
        (0..n)
            .map(|v| g.edge_ids(v).map(|e| n + e).collect::<Vec<_>>())
            .chain((0..g.edge_count() as u32).map(|e| vec![g.edge(e).1])),
    );
    let dom = DomTree::new(&split, roots);
    for e in 0..g.edge_count() as u32 {
        let mut real: Vec<u32> = dom.subtree(n + e).iter().copied().filter(|&v| v < n).collect();
        let mut got = cuts.edge_removal(e).to_vec();
        real.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, real, "{ctx}: split graph, edge {e}");
    }
}

#[test]
fn removal_sets_match_brute_force() {
    let mut seen = Seen::default();
    for seed in 0..4000u64 {
        let mut rng = Rng::new(seed);
        let n = 1 + rng.below(40) as u32;
        let shape = [Shape::Dag, Shape::Cyclic, Shape::TreeLike][seed as usize % 3];
        let (g, roots) = random_graph(&mut rng, n, shape);
        check_graph(&g, &roots, &mut rng, &format!("seed {seed} {shape:?} roots {roots:?}"), &mut seen);
    }
    assert!(seen.freeing_edges > 15_000 && seen.empty_edges > 20_000, "{seen:?}");
    assert!(seen.long_chains > 500 && seen.shared_top > 500, "{seen:?}");
}

#[test]
fn edge_cases() {
    let mut rng = Rng::new(7);
    let cases: Vec<(Vec<Vec<u32>>, Vec<u32>)> = vec![
        (vec![vec![]], vec![0]),                            // a single node
        (vec![vec![0]], vec![0]),                           // a single node with a self-loop
        (vec![vec![1, 1], vec![]], vec![0]),                // parallel edges
        (vec![vec![1], vec![0]], vec![0, 1]),               // a cycle of two roots
        (vec![vec![1], vec![], vec![1], vec![2]], vec![0]), // 2 and 3 unreachable
        (vec![vec![1], vec![2], vec![1]], vec![2]),         // the root inside a cycle
        (vec![vec![], vec![]], vec![]),                     // no roots
    ];
    for (i, (succ, roots)) in cases.into_iter().enumerate() {
        let g = Graph::from_successors(succ);
        check_graph(&g, &roots, &mut rng, &format!("case {i}"), &mut Seen::default());
    }
    // Unreachable nodes are counted nowhere.
    let g = Graph::from_successors(vec![vec![1], vec![], vec![1], vec![2]]);
    let cuts = Cuts::new(&g, &[0]);
    assert_eq!(cuts.node_removal(0), &[0, 1]);
    assert!(cuts.node_removal(3).is_empty() && cuts.edge_removal(2).is_empty());
    assert_eq!(cuts.edge_removal_counts(), vec![1, 0, 0]);
}

/// The cheapest disconnecting subset of cuttable edges by enumeration: Some((cost, edges)) or None.
fn brute_plan(g: &Graph, roots: &[u32], targets: u64, costs: &[u64]) -> Option<u128> {
    let cuttable: Vec<u32> = (0..g.edge_count() as u32).filter(|&e| costs[e as usize] != UNCUTTABLE).collect();
    assert!(cuttable.len() <= 16);
    let mut best: Option<u128> = None;
    for m in 0u32..1 << cuttable.len() {
        let cut: Vec<u32> = (0..cuttable.len()).filter(|&i| m & (1 << i) != 0).map(|i| cuttable[i]).collect();
        let cost: u128 = cut.iter().map(|&e| costs[e as usize] as u128).sum();
        if best.is_some_and(|b| cost >= b) {
            continue;
        }
        if !reaches_target(g, roots, &cut, targets) {
            best = Some(cost);
        }
    }
    best
}

fn reaches_target(g: &Graph, roots: &[u32], cut: &[u32], targets: u64) -> bool {
    reachable_without_edges(g, roots, cut).iter().enumerate().any(|(v, &r)| r && targets & (1 << v) != 0)
}

/// Checks one eviction against brute force; `exhaustive` enumerates every subset of cuttable edges,
/// otherwise (unit costs) only the subsets smaller than the plan, for plans of up to 3 edges.
/// Checks both plan finders (nearest the roots, nearest the targets): the
/// same cost, and each plan valid on its own.
fn check_evict(g: &Graph, roots: &[u32], targets: &[u32], costs: &[u64], exhaustive: bool, ctx: &str) -> Outcome {
    let near_roots = evict(g, roots, targets, costs);
    let near_targets = evict_near_targets(g, roots, targets, costs);
    match (&near_roots, &near_targets) {
        (Ok(a), Ok(b)) => assert_eq!(a.cost, b.cost, "{ctx}: both cheapest"),
        (Err(EvictError::TargetIsRoot { .. }), Err(EvictError::TargetIsRoot { .. })) => {}
        (Err(EvictError::Uncuttable { .. }), Err(EvictError::Uncuttable { .. })) => {}
        (a, b) => panic!("{ctx}: plan finders disagree: {a:?} vs {b:?}"),
    }
    check_plan(g, roots, targets, costs, exhaustive, &format!("{ctx} (near targets)"), near_targets);
    check_plan(g, roots, targets, costs, exhaustive, ctx, near_roots)
}

fn check_plan(
    g: &Graph,
    roots: &[u32],
    targets: &[u32],
    costs: &[u64],
    exhaustive: bool,
    ctx: &str,
    result: Result<Plan, EvictError>,
) -> Outcome {
    let tmask = mask_dedup(targets);
    let outcome = match &result {
        Ok(plan) => Outcome::Plan(plan.edges.len()),
        Err(EvictError::TargetIsRoot { .. }) => Outcome::TargetIsRoot,
        Err(EvictError::Uncuttable { .. }) => Outcome::Uncuttable,
    };
    match result {
        Ok(plan) => {
            assert!(roots.iter().all(|r| tmask & (1 << r) == 0), "{ctx}: a root is a target");
            assert!(plan.edges.windows(2).all(|w| w[0] < w[1]), "{ctx}: sorted, distinct");
            assert!(plan.edges.iter().all(|&e| costs[e as usize] != UNCUTTABLE), "{ctx}: cuttable only");
            let cost: u128 = plan.edges.iter().map(|&e| costs[e as usize] as u128).sum();
            assert_eq!(plan.cost, cost, "{ctx}: cost is the sum");
            assert!(!reaches_target(g, roots, &plan.edges, tmask), "{ctx}: plan {plan:?} disconnects");
            for i in 0..plan.edges.len() {
                let mut fewer = plan.edges.clone();
                fewer.remove(i);
                assert!(reaches_target(g, roots, &fewer, tmask), "{ctx}: edge {} of {plan:?} needed", plan.edges[i]);
            }
            if exhaustive {
                assert_eq!(Some(plan.cost), brute_plan(g, roots, tmask, costs), "{ctx}: cheapest");
            } else if plan.edges.len() <= 3 {
                // Enumerating the subsets below the plan's size stays cheap for small plans.
                no_smaller_cut(g, roots, tmask, costs, plan.edges.len(), ctx);
            }
        }
        Err(EvictError::TargetIsRoot { target }) => {
            assert!(roots.contains(&target) && targets.contains(&target), "{ctx}: target {target}");
        }
        Err(EvictError::Uncuttable { path }) => {
            assert!(roots.iter().all(|r| tmask & (1 << r) == 0), "{ctx}: should be TargetIsRoot");
            assert!(!path.is_empty(), "{ctx}: path");
            assert!(roots.contains(&g.edge(path[0]).0), "{ctx}: path starts at a root");
            assert!(tmask & (1 << g.edge(*path.last().unwrap()).1) != 0, "{ctx}: path ends at a target");
            for w in path.windows(2) {
                assert_eq!(g.edge(w[0]).1, g.edge(w[1]).0, "{ctx}: path is a chain");
            }
            assert!(path.iter().all(|&e| costs[e as usize] == UNCUTTABLE), "{ctx}: path uncuttable");
            if exhaustive {
                assert_eq!(brute_plan(g, roots, tmask, costs), None, "{ctx}: impossible");
            }
        }
    }
    outcome
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Outcome {
    Plan(usize),
    TargetIsRoot,
    Uncuttable,
}

/// Counts outcomes, with plan sizes above 3 lumped together.
fn tally(outcomes: &[Outcome]) -> std::collections::BTreeMap<String, usize> {
    let mut t = std::collections::BTreeMap::new();
    for o in outcomes {
        let key = match o {
            Outcome::Plan(k) if *k > 3 => "plan >3".to_string(),
            Outcome::Plan(k) => format!("plan {k}"),
            other => format!("{other:?}"),
        };
        *t.entry(key).or_insert(0) += 1;
    }
    t
}

fn mask_dedup(nodes: &[u32]) -> u64 {
    nodes.iter().fold(0u64, |m, &v| m | 1 << v)
}

/// With unit costs: no subset of cuttable edges smaller than `size` disconnects the targets.
fn no_smaller_cut(g: &Graph, roots: &[u32], targets: u64, costs: &[u64], size: usize, ctx: &str) {
    let cuttable: Vec<u32> = (0..g.edge_count() as u32).filter(|&e| costs[e as usize] != UNCUTTABLE).collect();
    fn go(g: &Graph, roots: &[u32], t: u64, pool: &[u32], k: usize, cut: &mut Vec<u32>, ctx: &str) {
        assert!(reaches_target(g, roots, cut, t), "{ctx}: smaller cut {cut:?}");
        if k == 0 {
            return;
        }
        for i in 0..pool.len() {
            cut.push(pool[i]);
            go(g, roots, t, &pool[i + 1..], k - 1, cut, ctx);
            cut.pop();
        }
    }
    if size > 0 {
        go(g, roots, targets, &cuttable, size - 1, &mut Vec::new(), ctx);
    }
}

#[test]
fn eviction_plans_match_brute_force() {
    let mut outcomes = Vec::new();
    for seed in 0..2500u64 {
        let mut rng = Rng::new(seed + 1_000_000);
        let n = 2 + rng.below(7) as u32;
        let (g, mut roots) = random_graph(&mut rng, n, [Shape::Dag, Shape::Cyclic, Shape::TreeLike][seed as usize % 3]);
        if g.edge_count() > 14 {
            continue;
        }
        roots.truncate(2);
        // Targets are not roots, but for one graph in ten.
        let mut targets: Vec<u32> = (0..1 + rng.below(3))
            .map(|_| rng.below(n as u64) as u32)
            .filter(|t| seed % 10 == 0 || !roots.contains(t))
            .collect();
        if targets.is_empty() {
            targets.push(rng.below(n as u64) as u32);
        }
        let unit = seed % 4 == 0;
        let costs: Vec<u64> = (0..g.edge_count())
            .map(|_| match rng.below(20) {
                0..=2 => UNCUTTABLE,
                _ if unit => 1,
                x => [0, 1, 2, 3, 5, 8, 1_000_000_000_000][(x % 7) as usize],
            })
            .collect();
        let ctx = format!("seed {seed} roots {roots:?} targets {targets:?}");
        outcomes.push(check_evict(&g, &roots, &targets, &costs, true, &ctx));
    }
    let t = tally(&outcomes);
    for (key, min) in
        [("plan 0", 100), ("plan 1", 100), ("plan 2", 50), ("plan 3", 20), ("TargetIsRoot", 30), ("Uncuttable", 30)]
    {
        assert!(t.get(key).copied().unwrap_or(0) >= min, "too few {key}: {t:?}");
    }
}

#[test]
fn eviction_plans_have_no_smaller_cut() {
    let mut outcomes = Vec::new();
    for seed in 0..300u64 {
        let mut rng = Rng::new(seed + 2_000_000);
        let n = 5 + rng.below(26) as u32;
        let (g, roots) = random_graph(&mut rng, n, [Shape::Dag, Shape::Cyclic][seed as usize % 2]);
        let targets: Vec<u32> = (0..1 + rng.below(4)).map(|_| rng.below(n as u64) as u32).collect();
        let costs: Vec<u64> = (0..g.edge_count()).map(|_| if rng.below(10) == 0 { UNCUTTABLE } else { 1 }).collect();
        let ctx = format!("seed {seed} roots {roots:?} targets {targets:?}");
        outcomes.push(check_evict(&g, &roots, &targets, &costs, false, &ctx));
    }
    let t = tally(&outcomes);
    for (key, min) in [("plan 2", 20), ("plan 3", 10), ("plan >3", 10)] {
        assert!(t.get(key).copied().unwrap_or(0) >= min, "too few {key}: {t:?}");
    }
}

#[test]
fn near_targets_prefers_the_cut_next_to_the_target() {
    // r -> a -> b -> t, and r -> c: every single edge on the chain frees t.
    let g = Graph::from_successors(vec![vec![1, 4], vec![2], vec![3], vec![], vec![]]);
    let costs = vec![1; g.edge_count()];
    let near_roots = evict(&g, &[0], &[3], &costs).unwrap();
    let near_targets = evict_near_targets(&g, &[0], &[3], &costs).unwrap();
    assert_eq!(g.edge(near_roots.edges[0]), (0, 1));
    assert_eq!(g.edge(near_targets.edges[0]), (2, 3));
}
