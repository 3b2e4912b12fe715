//! Eviction plans: the cheapest set of edges whose removal makes every target unreachable from every root.
//!
//! Often no single edge frees a heavy package, because several importers reach it; the cheapest set of cuts
//! together is a minimum s–t edge cut. The network is the graph restricted to nodes on some root-to-target
//! path, with a super-source feeding every root and every target draining into a super-sink (both with
//! infinite capacity), each edge's capacity being its cost. Max flow by Dinic's algorithm (blocking flows
//! along BFS levels, iterative), then the cut is read from the residual graph: the edges leaving the nodes
//! the source can still reach.

use std::collections::VecDeque;
use std::fmt;

use crate::Graph;

/// The cost of an edge that must not be cut (an import inside a dependency, say).
pub const UNCUTTABLE: u64 = u64::MAX;

const NONE: u32 = u32::MAX;
const INF: u128 = u128::MAX;

/// A set of edges to remove together, and their total cost.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Edge ids in increasing order. No edge can be left out: each is needed to disconnect the targets.
    pub edges: Vec<u32>,
    /// The sum of the edges' costs, the least possible (u128: costs are u64 and there may be many).
    pub cost: u128,
}

/// Why no plan exists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvictError {
    /// A target is itself a root.
    TargetIsRoot {
        /// The node that is both.
        target: u32,
    },
    /// A chain of uncuttable edges leads from a root to a target.
    Uncuttable {
        /// The edge ids along the chain, root side first.
        path: Vec<u32>,
    },
}

impl fmt::Display for EvictError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvictError::TargetIsRoot { target } => write!(f, "target {target} is a root"),
            EvictError::Uncuttable { path } => {
                write!(f, "a chain of {} uncuttable edges connects a root to a target", path.len())
            }
        }
    }
}

impl std::error::Error for EvictError {}

/// Finds a minimum-cost set of edges whose removal makes every node of `targets` unreachable from every
/// node of `roots`. `costs` has one entry per edge id ([`Graph::edge_ids`]); [`UNCUTTABLE`] marks edges that
/// may not be cut, and zero-cost edges are cut only where needed (each zero-cost edge on the minimum cut
/// costs one reachability pass to check). Targets that are already unreachable need nothing (an empty
/// plan).
///
/// Panics if `costs` does not have one entry per edge, or a root or target is not a node.
pub fn evict(g: &Graph, roots: &[u32], targets: &[u32], costs: &[u64]) -> Result<Plan, EvictError> {
    assert_eq!(costs.len(), g.edge_count(), "one cost per edge");
    let n = g.node_count();
    let mut is_target = vec![false; n];
    for &t in targets {
        is_target[t as usize] = true;
    }
    if let Some(&target) = roots.iter().find(|&&r| is_target[r as usize]) {
        return Err(EvictError::TargetIsRoot { target });
    }
    // Checked first, so that every source-to-sink path of the network has a finite arc and the flow is finite.
    if let Some(path) = uncuttable_path(g, roots, &is_target, costs) {
        return Err(EvictError::Uncuttable { path });
    }

    // Only nodes on some root-to-target path can matter.
    let from_roots = g.reachable_from(roots);
    let to_targets = g.reversed().reachable_from(targets);
    let useful: Vec<bool> = from_roots.iter().zip(&to_targets).map(|(a, b)| *a && *b).collect();
    let (source, sink) = (n as u32, n as u32 + 1);
    let mut net = Network::new(n + 2);
    let mut fed = vec![false; n];
    for &r in roots {
        if useful[r as usize] && !fed[r as usize] {
            fed[r as usize] = true;
            net.arc(source, r, INF, NONE);
        }
    }
    for (t, _) in is_target.iter().enumerate().filter(|&(t, &is)| is && useful[t]) {
        net.arc(t as u32, sink, INF, NONE);
    }
    for a in 0..n as u32 {
        if !useful[a as usize] {
            continue;
        }
        for e in g.edge_ids(a) {
            let b = g.targets[e as usize];
            if useful[b as usize] && a != b {
                let cost = costs[e as usize];
                net.arc(a, b, if cost == UNCUTTABLE { INF } else { cost as u128 }, e);
            }
        }
    }
    let mut net = net.build();
    let flow = net.max_flow(source, sink);

    let side = net.source_side(source);
    let mut edges: Vec<u32> = (0..net.edge.len())
        .filter(|&i| {
            let (from, to) = (net.to[2 * i + 1], net.to[2 * i]);
            net.edge[i] != NONE && side[from as usize] && !side[to as usize]
        })
        .map(|i| net.edge[i])
        .collect();
    // A zero-cost edge may sit on the cut without being needed; leave out those that are not.
    let mut i = 0;
    while i < edges.len() {
        if costs[edges[i] as usize] == 0 {
            let e = edges.swap_remove(i);
            if reaches_any(g, roots, &edges, &is_target) {
                edges.push(e);
                let last = edges.len() - 1;
                edges.swap(i, last);
            } else {
                continue;
            }
        }
        i += 1;
    }
    edges.sort_unstable();
    let cost: u128 = edges.iter().map(|&e| costs[e as usize] as u128).sum();
    debug_assert_eq!(cost, flow, "max flow equals min cut");
    Ok(Plan { edges, cost })
}

/// Like [`evict`], but among the cheapest plans takes the one nearest the targets, which removes the least
/// besides them (the source side of a minimum cut is nearest the roots, so the cut is found on the reversed
/// graph, where the targets are the source).
pub fn evict_near_targets(g: &Graph, roots: &[u32], targets: &[u32], costs: &[u64]) -> Result<Plan, EvictError> {
    assert_eq!(costs.len(), g.edge_count(), "one cost per edge");
    let n = g.node_count();
    // Reversed edges grouped by their new source, each remembering its original id.
    let mut reversed: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for a in 0..n as u32 {
        for (e, &b) in g.edge_ids(a).zip(g.successors(a)) {
            reversed[b as usize].push((a, e));
        }
    }
    let rg = Graph::from_successors(reversed.iter().map(|l| l.iter().map(|&(to, _)| to)));
    let original: Vec<u32> = reversed.iter().flatten().map(|&(_, e)| e).collect();
    let rcosts: Vec<u64> = original.iter().map(|&e| costs[e as usize]).collect();
    match evict(&rg, targets, roots, &rcosts) {
        Ok(plan) => {
            let mut edges: Vec<u32> = plan.edges.iter().map(|&e| original[e as usize]).collect();
            edges.sort_unstable();
            Ok(Plan { edges, cost: plan.cost })
        }
        Err(EvictError::TargetIsRoot { target }) => Err(EvictError::TargetIsRoot { target }),
        Err(EvictError::Uncuttable { path }) => {
            Err(EvictError::Uncuttable { path: path.iter().rev().map(|&e| original[e as usize]).collect() })
        }
    }
}

/// The nodes still reachable from `roots` once the edges `cut` are removed (what a plan leaves).
pub fn reachable_without_edges(g: &Graph, roots: &[u32], cut: &[u32]) -> Vec<bool> {
    let mut removed = vec![false; g.edge_count()];
    for &e in cut {
        removed[e as usize] = true;
    }
    let mut seen = vec![false; g.node_count()];
    let mut stack: Vec<u32> = Vec::new();
    for &r in roots {
        if !seen[r as usize] {
            seen[r as usize] = true;
            stack.push(r);
        }
    }
    while let Some(v) = stack.pop() {
        for e in g.edge_ids(v) {
            let w = g.targets[e as usize];
            if !removed[e as usize] && !seen[w as usize] {
                seen[w as usize] = true;
                stack.push(w);
            }
        }
    }
    seen
}

fn reaches_any(g: &Graph, roots: &[u32], cut: &[u32], is_target: &[bool]) -> bool {
    reachable_without_edges(g, roots, cut).iter().zip(is_target).any(|(r, t)| *r && *t)
}

/// A shortest chain of uncuttable edges from a root to a target, as edge ids.
fn uncuttable_path(g: &Graph, roots: &[u32], is_target: &[bool], costs: &[u64]) -> Option<Vec<u32>> {
    let n = g.node_count();
    let mut via = vec![NONE; n];
    let mut from = vec![NONE; n];
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for &r in roots {
        if !seen[r as usize] {
            seen[r as usize] = true;
            queue.push_back(r);
        }
    }
    while let Some(v) = queue.pop_front() {
        for e in g.edge_ids(v) {
            let w = g.targets[e as usize];
            if costs[e as usize] != UNCUTTABLE || seen[w as usize] {
                continue;
            }
            seen[w as usize] = true;
            via[w as usize] = e;
            from[w as usize] = v;
            if is_target[w as usize] {
                let mut path = Vec::new();
                let mut x = w;
                while via[x as usize] != NONE {
                    path.push(via[x as usize]);
                    x = from[x as usize];
                }
                path.reverse();
                return Some(path);
            }
            queue.push_back(w);
        }
    }
    None
}

/// A flow network under construction: arcs in pairs (forward `2i`, residual `2i + 1`).
struct Network {
    nodes: usize,
    to: Vec<u32>,
    cap: Vec<u128>,
    /// Per pair: the graph edge it stands for, or `NONE` for source and sink arcs.
    edge: Vec<u32>,
}

/// The network with its arcs grouped by tail, ready for max flow.
struct Flow {
    to: Vec<u32>,
    cap: Vec<u128>,
    edge: Vec<u32>,
    adj_offsets: Vec<u32>,
    adj: Vec<u32>,
}

impl Network {
    fn new(nodes: usize) -> Network {
        Network { nodes, to: Vec::new(), cap: Vec::new(), edge: Vec::new() }
    }

    fn arc(&mut self, from: u32, to: u32, cap: u128, edge: u32) {
        self.to.extend([to, from]);
        self.cap.extend([cap, 0]);
        self.edge.push(edge);
    }

    fn build(self) -> Flow {
        let mut adj_offsets = vec![0u32; self.nodes + 1];
        // The tail of arc a is the head of its partner a ^ 1.
        for a in 0..self.to.len() {
            adj_offsets[self.to[a ^ 1] as usize + 1] += 1;
        }
        for i in 0..self.nodes {
            adj_offsets[i + 1] += adj_offsets[i];
        }
        let mut fill = adj_offsets.clone();
        let mut adj = vec![0u32; self.to.len()];
        for a in 0..self.to.len() {
            let slot = &mut fill[self.to[a ^ 1] as usize];
            adj[*slot as usize] = a as u32;
            *slot += 1;
        }
        Flow { to: self.to, cap: self.cap, edge: self.edge, adj_offsets, adj }
    }
}

impl Flow {
    /// Dinic's max flow from `s` to `t`; the residual capacities are left in `cap`.
    fn max_flow(&mut self, s: u32, t: u32) -> u128 {
        let nodes = self.adj_offsets.len() - 1;
        let mut level = vec![NONE; nodes];
        let mut next = vec![0u32; nodes];
        let mut queue: VecDeque<u32> = VecDeque::new();
        let mut path: Vec<u32> = Vec::new();
        let mut total = 0u128;
        loop {
            level.fill(NONE);
            level[s as usize] = 0;
            queue.push_back(s);
            while let Some(v) = queue.pop_front() {
                for &a in self.arcs(v) {
                    let w = self.to[a as usize];
                    if self.cap[a as usize] > 0 && level[w as usize] == NONE {
                        level[w as usize] = level[v as usize] + 1;
                        queue.push_back(w);
                    }
                }
            }
            if level[t as usize] == NONE {
                return total;
            }
            next.copy_from_slice(&self.adj_offsets[..nodes]);
            // Blocking flow: walk forward along level-increasing arcs with capacity; push at the sink; on a
            // dead end, retreat and never try that node again this phase.
            path.clear();
            let mut v = s;
            loop {
                if v == t {
                    let f = path.iter().map(|&a| self.cap[a as usize]).min().expect("sink is not the source");
                    for &a in &path {
                        self.cap[a as usize] -= f;
                        self.cap[a as usize ^ 1] += f;
                    }
                    total += f;
                    let k = path.iter().position(|&a| self.cap[a as usize] == 0).expect("a saturated arc");
                    path.truncate(k);
                    v = path.last().map_or(s, |&a| self.to[a as usize]);
                    continue;
                }
                let end = self.adj_offsets[v as usize + 1];
                let i = &mut next[v as usize];
                while *i < end {
                    let a = self.adj[*i as usize] as usize;
                    if self.cap[a] > 0 && level[self.to[a] as usize] == level[v as usize] + 1 {
                        break;
                    }
                    *i += 1;
                }
                if *i < end {
                    let a = self.adj[*i as usize];
                    path.push(a);
                    v = self.to[a as usize];
                } else {
                    if v == s {
                        break;
                    }
                    level[v as usize] = NONE;
                    let a = path.pop().expect("not at the source");
                    v = self.to[a as usize ^ 1];
                    next[v as usize] += 1;
                }
            }
        }
    }

    fn arcs(&self, v: u32) -> &[u32] {
        &self.adj[self.adj_offsets[v as usize] as usize..self.adj_offsets[v as usize + 1] as usize]
    }

    /// The nodes the source still reaches in the residual graph.
    fn source_side(&self, s: u32) -> Vec<bool> {
        let mut seen = vec![false; self.adj_offsets.len() - 1];
        seen[s as usize] = true;
        let mut stack = vec![s];
        while let Some(v) = stack.pop() {
            for &a in self.arcs(v) {
                let w = self.to[a as usize];
                if self.cap[a as usize] > 0 && !seen[w as usize] {
                    seen[w as usize] = true;
                    stack.push(w);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_importers_need_three_cuts() {
        // Root 0 reaches the driver 4 through 1, 2 and 3; 4 → 5 comes along.
        let g = Graph::from_successors(vec![vec![1, 2, 3], vec![4], vec![4], vec![4], vec![5], vec![]]);
        let plan = evict(&g, &[0], &[4, 5], &[5, 5, 5, 1, 1, 1, 1]).unwrap();
        assert_eq!(plan, Plan { edges: vec![3, 4, 5], cost: 3 });
        let left = reachable_without_edges(&g, &[0], &plan.edges);
        assert_eq!(left, vec![true, true, true, true, false, false]);
        // Inside dependencies (uncuttable) the cut moves up to the root's edges.
        let plan = evict(&g, &[0], &[4], &[5, 5, 5, UNCUTTABLE, UNCUTTABLE, UNCUTTABLE, 1]).unwrap();
        assert_eq!(plan, Plan { edges: vec![0, 1, 2], cost: 15 });
    }

    #[test]
    fn impossible_plans() {
        let g = Graph::from_successors(vec![vec![1], vec![2], vec![]]);
        assert_eq!(evict(&g, &[0], &[0], &[1, 1]), Err(EvictError::TargetIsRoot { target: 0 }));
        assert_eq!(evict(&g, &[0], &[2], &[UNCUTTABLE, UNCUTTABLE]), Err(EvictError::Uncuttable { path: vec![0, 1] }));
        assert_eq!(evict(&g, &[2], &[0], &[1, 1]), Ok(Plan { edges: vec![], cost: 0 }));
        assert_eq!(evict(&g, &[0], &[], &[1, 1]), Ok(Plan { edges: vec![], cost: 0 }));
    }

    #[test]
    fn free_edges_are_cut_only_when_needed() {
        // 0 → 1 (free) → 2 (target); 0 → 3 (free), 3 leads nowhere.
        let g = Graph::from_successors(vec![vec![1, 3], vec![2], vec![], vec![]]);
        let plan = evict(&g, &[0], &[2], &[0, 0, 7]).unwrap();
        assert_eq!(plan, Plan { edges: vec![0], cost: 0 });
    }
}
