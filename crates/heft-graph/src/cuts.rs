//! Removal sets: what becomes unreachable from the roots if one node or one edge were gone, for every node
//! and every edge at once.
//!
//! Nodes: removing `v` removes exactly the nodes `v` dominates, its dominator subtree.
//!
//! Edges: the textbook way splits every edge `a → b` by a virtual node `x` (`a → x → b`), computes dominators
//! once on the split graph, and reads the removal set of the edge as the real nodes `x` dominates. That
//! computation has a shortcut, which is what [`Cuts`] does (the tests check it against both brute force and
//! the split graph):
//!
//! 1. If `x` dominates any node `v`, it dominates `b`: every path to `v` uses the edge, so passes `b`, and a
//!    path reaching `b` without the edge would continue to `v` without ever re-entering `b` through it.
//!    So the removal set of `a → b` is either empty or all that `b` dominates.
//! 2. `x` dominates `b` exactly when every other edge `p → b` with `p` reachable comes from a node `b`
//!    dominates (a back edge, or a self-loop), and `b` is not a root: the first arrival at `b` on any path
//!    comes from a node reached without `b`, and conversely a `p` reached without `b` gives a path avoiding
//!    the edge.
//!
//! So one dominator tree of the graph itself (n nodes, m edges rather than n + m nodes and 2m edges) and one
//! pass over the edges give every edge's removal set. Each node has at most one such "sole entry" edge,
//! hence:
//!
//! * two edges never have the same non-empty removal set (they would both be the sole entry of the same
//!   node), so grouping edges by identical removal sets only ever groups the edges that remove nothing;
//! * the useful grouping is by *chain*: along `a → b → c` where `b` is imported only by `a` and dominates
//!   only `c` (and what `c` dominates), the removal sets of `a → b` and `b → c` differ by `b` alone. See
//!   [`Cuts::chain`].
//!
//! Parallel edges (the same `a → b` twice) are distinct edges: removing one of them removes nothing, since
//! the other still connects. Edges from unreachable nodes remove nothing.

use crate::Graph;
use crate::dominators::DomTree;

const NONE: u32 = u32::MAX;
/// Two or more entries into a node (or it is a root): no single edge frees it.
const MANY: u32 = u32::MAX - 1;

/// Removal sets for every node and every edge of a graph, from one or several roots.
#[derive(Clone, Debug)]
pub struct Cuts {
    dom: DomTree,
    /// Per node: its sole entry edge, `NONE` (unreachable) or `MANY`.
    entry: Vec<u32>,
    /// Per edge: the node whose dominator subtree the edge's removal frees, or `NONE`.
    frees: Vec<u32>,
    /// Per node with a sole entry: the top node of its chain (see [`Cuts::chain`]).
    chain_top: Vec<u32>,
}

impl Cuts {
    /// Computes all removal sets of `g` from `roots` (duplicates ignored): near-linear time, O(n + m) memory.
    ///
    /// Panics if a root is not a node of `g`.
    pub fn new(g: &Graph, roots: &[u32]) -> Cuts {
        let dom = DomTree::new(g, roots);
        let n = g.node_count();
        let mut entry = vec![NONE; n];
        for &r in roots {
            entry[r as usize] = MANY;
        }
        for a in 0..n as u32 {
            if !dom.is_reachable(a) {
                continue;
            }
            for e in g.edge_ids(a) {
                let b = g.targets[e as usize];
                // An edge from inside b's own subtree (back edge, self-loop) never brings b in first.
                if dom.dominates(b, a) {
                    continue;
                }
                let slot = &mut entry[b as usize];
                *slot = if *slot == NONE { e } else { MANY };
            }
        }
        let mut frees = vec![NONE; g.edge_count()];
        let mut chain_top = vec![NONE; n];
        // Preorder: a node's dominator comes before it, so its chain top is already known.
        for &b in dom.preorder() {
            let e = entry[b as usize];
            if e >= MANY {
                continue;
            }
            frees[e as usize] = b;
            // A sole entry a → b means a is b's immediate dominator.
            let a = dom.idom(b).expect("a node with a sole entry edge has a real dominator");
            chain_top[b as usize] =
                if dom.children(a).len() == 1 && entry[a as usize] < MANY { chain_top[a as usize] } else { b };
        }
        Cuts { dom, entry, frees, chain_top }
    }

    /// The dominator tree the removal sets come from.
    pub fn dom_tree(&self) -> &DomTree {
        &self.dom
    }

    /// What removing node `v` removes (`v` first), in dominator-tree preorder; empty when `v` is unreachable.
    pub fn node_removal(&self, v: u32) -> &[u32] {
        self.dom.subtree(v)
    }

    /// What removing edge `e` removes: the subtree of [`Cuts::edge_frees`], or nothing.
    pub fn edge_removal(&self, e: u32) -> &[u32] {
        match self.frees[e as usize] {
            NONE => &[],
            b => self.dom.subtree(b),
        }
    }

    /// The node at the top of edge `e`'s removal set (its target), when the removal set is not empty.
    pub fn edge_frees(&self, e: u32) -> Option<u32> {
        match self.frees[e as usize] {
            NONE => None,
            b => Some(b),
        }
    }

    /// The number of nodes removing edge `e` removes.
    pub fn edge_removal_count(&self, e: u32) -> u32 {
        match self.frees[e as usize] {
            NONE => 0,
            b => self.dom.subtree_size(b),
        }
    }

    /// The only edge whose removal alone makes `v` unreachable, if there is one.
    pub fn sole_entry(&self, v: u32) -> Option<u32> {
        match self.entry[v as usize] {
            NONE | MANY => None,
            e => Some(e),
        }
    }

    /// The removal count of every edge, indexed by edge id.
    pub fn edge_removal_counts(&self) -> Vec<u32> {
        self.frees.iter().map(|&b| if b == NONE { 0 } else { self.dom.subtree_size(b) }).collect()
    }

    /// For each weight vector (one number per node), the total over every node's removal set:
    /// `sums[j][v]`. Same as [`DomTree::subtree_sums`].
    pub fn node_weights(&self, weights: &[&[u64]]) -> Vec<Vec<u64>> {
        self.dom.subtree_sums(weights)
    }

    /// For each weight vector (one number per node), the total over every edge's removal set: `sums[j][e]`.
    pub fn edge_weights(&self, weights: &[&[u64]]) -> Vec<Vec<u64>> {
        self.dom
            .subtree_sums(weights)
            .into_iter()
            .map(|node| self.frees.iter().map(|&b| if b == NONE { 0 } else { node[b as usize] }).collect())
            .collect()
    }

    /// The edge nearest the roots in `e`'s chain (see [`Cuts::chain`]), or None when `e` removes nothing.
    /// Edges with the same head form one group: show the head, offer the others as alternatives.
    pub fn chain_head(&self, e: u32) -> Option<u32> {
        match self.frees[e as usize] {
            NONE => None,
            b => Some(self.entry[self.chain_top[b as usize] as usize]),
        }
    }

    /// The chain of edges `e` belongs to, nearest the roots first; empty when `e` removes nothing.
    ///
    /// A chain is a maximal run `a₀ → a₁ → … → a_k` of sole entry edges where each `a_i` (0 < i < k)
    /// immediately dominates nothing but `a_{i+1}`. Cutting any of its edges removes the same nodes below
    /// the chain; their removal sets differ only by the chain's own nodes (`removal(aᵢ₋₁ → aᵢ)` is
    /// `{aᵢ} ∪ removal(aᵢ → aᵢ₊₁)`), so they are one choice shown as many views.
    pub fn chain(&self, e: u32) -> Vec<u32> {
        let Some(head) = self.chain_head(e) else {
            return Vec::new();
        };
        let mut out = vec![head];
        let mut b = self.frees[head as usize];
        while let [c] = *self.dom.children(b) {
            match self.sole_entry(c) {
                Some(next) if self.chain_top[c as usize] == self.chain_top[b as usize] => {
                    out.push(next);
                    b = c;
                }
                _ => break,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_and_shared_import() {
        // Edges: 0:(0→1) 1:(0→4) 2:(1→2) 3:(2→3) 4:(2→5) 5:(4→3). Node 3 has two importers, so 2 → 3
        // frees nothing.
        let g = Graph::from_successors(vec![vec![1, 4], vec![2], vec![3, 5], vec![], vec![3], vec![]]);
        let c = Cuts::new(&g, &[0]);
        assert_eq!(c.edge_removal(0), &[1, 2, 5]);
        assert_eq!(c.edge_removal(2), &[2, 5]);
        assert_eq!(c.edge_removal(3), &[] as &[u32]);
        assert_eq!(c.edge_removal(4), &[5]);
        assert_eq!(c.edge_removal(1), &[4]);
        assert_eq!(c.edge_removal_counts(), vec![3, 1, 2, 0, 1, 0]);
        assert_eq!(c.node_removal(0), &[0, 1, 2, 5, 3, 4]);
        // 0 → 1 → 2 → 5 is one chain: 1 and 2 dominate nothing else.
        assert_eq!(c.chain(4), vec![0, 2, 4]);
        assert_eq!(c.chain_head(2), Some(0));
        assert_eq!(c.chain(1), vec![1]);
        assert!(c.chain(3).is_empty());
        let w = c.edge_weights(&[&[1, 2, 4, 8, 16, 32], &[1; 6]]);
        assert_eq!(w[0], vec![38, 16, 36, 0, 32, 0]);
        assert_eq!(w[1], vec![3, 1, 2, 0, 1, 0]);
    }

    #[test]
    fn parallel_edges_and_self_loops() {
        // 0 → 1 twice; 1 → 1; 1 → 2; 2 → 1 (back edge).
        let g = Graph::from_successors(vec![vec![1, 1], vec![1, 2], vec![1]]);
        let c = Cuts::new(&g, &[0]);
        assert_eq!(c.edge_removal(0), &[] as &[u32]);
        assert_eq!(c.edge_removal(1), &[] as &[u32]);
        assert_eq!(c.edge_removal(2), &[] as &[u32]);
        assert_eq!(c.edge_removal(3), &[2]);
        assert_eq!(c.edge_removal(4), &[] as &[u32]);
        assert_eq!(c.sole_entry(1), None);
    }

    #[test]
    fn edge_into_a_root_frees_nothing() {
        let g = Graph::from_successors(vec![vec![1], vec![0]]);
        let c = Cuts::new(&g, &[0]);
        assert_eq!(c.edge_removal(1), &[] as &[u32]);
        assert_eq!(c.edge_removal(0), &[1]);
        assert_eq!(c.node_removal(0), &[0, 1]);
    }
}
