//! Dominators: the nodes every path from the roots passes through.
//!
//! `d` dominates `v` when every path from a root to `v` passes through `d` (so removing `d` makes `v`
//! unreachable); every reachable node dominates itself. Several roots hang under one virtual root, so a node
//! reachable from two roots is dominated only by what lies on the paths from both.
//!
//! Algorithm: Lengauer–Tarjan, the "simple" version with path compression (O(m log n)), written without
//! recursion because import graphs can be deep. Everything is a flat `u32` array indexed by depth-first
//! preorder number, which keeps the semidominator pass cache-friendly.

use crate::Graph;

/// No node (unreachable, or an empty slot).
const NONE: u32 = u32::MAX;
/// The virtual root above all roots, as a parent in [`DomTree`].
const TOP: u32 = u32::MAX - 1;

/// The dominator tree of the nodes reachable from a set of roots.
///
/// The tree's own root is virtual (it stands above all roots): the roots and every node that no single real
/// node dominates are its children, [`DomTree::top`]. Nodes not reachable from any root are in no tree.
#[derive(Clone, Debug)]
pub struct DomTree {
    /// Immediate dominator per node: `TOP` under the virtual root, `NONE` when unreachable.
    idom: Vec<u32>,
    /// Children per node in compressed rows; row `n` holds the children of the virtual root.
    child_offsets: Vec<u32>,
    children: Vec<u32>,
    /// Reachable nodes in dominator-tree preorder: every subtree is a contiguous slice of it.
    order: Vec<u32>,
    /// Each node's index in `order` (`NONE` when unreachable).
    pos: Vec<u32>,
    /// Each node's subtree size (0 when unreachable).
    size: Vec<u32>,
}

impl DomTree {
    /// Computes the dominator tree of `g` from `roots` (duplicates are ignored).
    ///
    /// Panics if a root is not a node of `g`, or if `g` has `u32::MAX - 1` nodes or more.
    pub fn new(g: &Graph, roots: &[u32]) -> DomTree {
        assert!(g.node_count() < TOP as usize, "too many nodes for u32 ids");
        DomTree::from_idom(immediate_dominators(g, roots))
    }

    /// The number of nodes of the graph (reachable or not).
    pub fn node_count(&self) -> usize {
        self.idom.len()
    }

    /// Whether `v` is reachable from some root.
    pub fn is_reachable(&self, v: u32) -> bool {
        self.idom[v as usize] != NONE
    }

    /// The immediate dominator of `v`: None when `v` is unreachable or when only the virtual root dominates it
    /// (a root, or a node reachable from several roots along paths that share no node).
    pub fn idom(&self, v: u32) -> Option<u32> {
        match self.idom[v as usize] {
            NONE | TOP => None,
            d => Some(d),
        }
    }

    /// The nodes `v` immediately dominates, in increasing id order.
    pub fn children(&self, v: u32) -> &[u32] {
        self.row(v as usize)
    }

    /// The children of the virtual root: the roots and the nodes no single real node dominates.
    pub fn top(&self) -> &[u32] {
        self.row(self.idom.len())
    }

    fn row(&self, i: usize) -> &[u32] {
        &self.children[self.child_offsets[i] as usize..self.child_offsets[i + 1] as usize]
    }

    /// Whether `a` dominates `b` (reflexive: a reachable node dominates itself); false when either is
    /// unreachable. Constant time.
    pub fn dominates(&self, a: u32, b: u32) -> bool {
        let (pa, pb) = (self.pos[a as usize], self.pos[b as usize]);
        pa != NONE && pb != NONE && pa <= pb && pb < pa + self.size[a as usize]
    }

    /// The nodes `v` dominates, `v` first, in dominator-tree preorder: exactly what becomes unreachable from
    /// every root if `v` is removed. Empty when `v` is unreachable.
    pub fn subtree(&self, v: u32) -> &[u32] {
        match self.pos[v as usize] {
            NONE => &[],
            p => &self.order[p as usize..(p + self.size[v as usize]) as usize],
        }
    }

    /// The number of nodes `v` dominates (itself included); 0 when unreachable.
    pub fn subtree_size(&self, v: u32) -> u32 {
        self.size[v as usize]
    }

    /// All reachable nodes in dominator-tree preorder (each subtree is a contiguous slice).
    pub fn preorder(&self) -> &[u32] {
        &self.order
    }

    /// For each weight vector (one number per node), the sum over each node's subtree: `sums[j][v]` is the
    /// total of `weights[j]` over what removing `v` removes. Unreachable nodes get 0. Sums saturate.
    ///
    /// Panics if a weight vector's length is not the node count.
    pub fn subtree_sums(&self, weights: &[&[u64]]) -> Vec<Vec<u64>> {
        weights
            .iter()
            .map(|w| {
                assert_eq!(w.len(), self.idom.len(), "one weight per node");
                let mut sum = vec![0u64; w.len()];
                // Children come after their parent in preorder, so a reverse sweep finishes each subtree
                // before adding it to its parent.
                for &v in self.order.iter().rev() {
                    let s = sum[v as usize].saturating_add(w[v as usize]);
                    sum[v as usize] = s;
                    let p = self.idom[v as usize];
                    if p != TOP {
                        sum[p as usize] = sum[p as usize].saturating_add(s);
                    }
                }
                sum
            })
            .collect()
    }

    /// Builds children rows, the preorder and subtree sizes from immediate dominators.
    fn from_idom(idom: Vec<u32>) -> DomTree {
        let n = idom.len();
        let row = |p: u32| if p == TOP { n } else { p as usize };
        let mut child_offsets = vec![0u32; n + 2];
        for &p in &idom {
            if p != NONE {
                child_offsets[row(p) + 1] += 1;
            }
        }
        for i in 0..=n {
            child_offsets[i + 1] += child_offsets[i];
        }
        let mut fill = child_offsets.clone();
        let mut children = vec![0u32; child_offsets[n + 1] as usize];
        for (v, &p) in idom.iter().enumerate() {
            if p != NONE {
                let slot = &mut fill[row(p)];
                children[*slot as usize] = v as u32;
                *slot += 1;
            }
        }

        let mut order = Vec::with_capacity(children.len());
        let mut pos = vec![NONE; n];
        let row_of = |i: usize| &children[child_offsets[i] as usize..child_offsets[i + 1] as usize];
        // Explicit stack; children pushed in reverse so they come out in increasing id order.
        let mut stack: Vec<u32> = row_of(n).iter().rev().copied().collect();
        while let Some(v) = stack.pop() {
            pos[v as usize] = order.len() as u32;
            order.push(v);
            stack.extend(row_of(v as usize).iter().rev());
        }
        let mut size = vec![0u32; n];
        for &v in order.iter().rev() {
            size[v as usize] += 1;
            let p = idom[v as usize];
            if p != TOP {
                size[p as usize] += size[v as usize];
            }
        }
        DomTree { idom, child_offsets, children, order, pos, size }
    }
}

/// Immediate dominator per node (`TOP` for the virtual root, `NONE` when unreachable), by Lengauer–Tarjan.
fn immediate_dominators(g: &Graph, roots: &[u32]) -> Vec<u32> {
    let n = g.node_count();
    // Depth-first preorder numbers; number 0 is the virtual root, whose successors are the roots.
    let mut dfn = vec![NONE; n];
    let mut vertex: Vec<u32> = vec![NONE];
    let mut parent: Vec<u32> = vec![0];
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for &r in roots {
        if dfn[r as usize] != NONE {
            continue;
        }
        dfn[r as usize] = vertex.len() as u32;
        vertex.push(r);
        parent.push(0);
        stack.push((r, g.offsets[r as usize]));
        while let Some(top) = stack.last_mut() {
            let (v, i) = *top;
            if i == g.offsets[v as usize + 1] {
                stack.pop();
                continue;
            }
            top.1 += 1;
            let w = g.targets[i as usize];
            if dfn[w as usize] == NONE {
                dfn[w as usize] = vertex.len() as u32;
                vertex.push(w);
                parent.push(dfn[v as usize]);
                stack.push((w, g.offsets[w as usize]));
            }
        }
    }
    let r = vertex.len();

    // Predecessors in preorder numbers (only reachable nodes have any); each root also has the virtual root.
    let mut pred_offsets = vec![0u32; r + 1];
    for &x in roots {
        pred_offsets[dfn[x as usize] as usize + 1] += 1;
    }
    for &v in &vertex[1..] {
        for &w in g.successors(v) {
            pred_offsets[dfn[w as usize] as usize + 1] += 1;
        }
    }
    for i in 0..r {
        pred_offsets[i + 1] += pred_offsets[i];
    }
    let mut fill = pred_offsets.clone();
    let mut preds = vec![0u32; pred_offsets[r] as usize];
    for &x in roots {
        let slot = &mut fill[dfn[x as usize] as usize];
        preds[*slot as usize] = 0;
        *slot += 1;
    }
    for (i, &v) in vertex.iter().enumerate().skip(1) {
        for &w in g.successors(v) {
            let slot = &mut fill[dfn[w as usize] as usize];
            preds[*slot as usize] = i as u32;
            *slot += 1;
        }
    }

    // Semidominators in reverse preorder, with a path-compressed forest (ancestor/label) for EVAL and
    // buckets as linked lists in two arrays.
    let mut semi: Vec<u32> = (0..r as u32).collect();
    let mut label: Vec<u32> = (0..r as u32).collect();
    let mut ancestor = vec![NONE; r];
    let mut idom = vec![0u32; r];
    let mut bucket_head = vec![NONE; r];
    let mut bucket_next = vec![NONE; r];
    let mut path: Vec<u32> = Vec::new();
    for w in (1..r).rev() {
        let mut s = semi[w];
        for &v in &preds[pred_offsets[w] as usize..pred_offsets[w + 1] as usize] {
            let u = eval(v, &mut ancestor, &mut label, &semi, &mut path);
            s = s.min(semi[u as usize]);
        }
        semi[w] = s;
        bucket_next[w] = bucket_head[s as usize];
        bucket_head[s as usize] = w as u32;
        let p = parent[w];
        ancestor[w] = p;
        let mut v = std::mem::replace(&mut bucket_head[p as usize], NONE);
        while v != NONE {
            let u = eval(v, &mut ancestor, &mut label, &semi, &mut path);
            idom[v as usize] = if semi[u as usize] < semi[v as usize] { u } else { p };
            v = bucket_next[v as usize];
        }
    }
    // Nodes whose semidominator was not their dominator take their relative's (already final, as it comes
    // earlier in preorder).
    for w in 1..r {
        if idom[w] != semi[w] {
            idom[w] = idom[idom[w] as usize];
        }
    }

    let mut out = vec![NONE; n];
    for w in 1..r {
        out[vertex[w] as usize] = if idom[w] == 0 { TOP } else { vertex[idom[w] as usize] };
    }
    out
}

/// EVAL of Lengauer–Tarjan: the vertex of least semidominator on the forest path above `v` (its tree root
/// excluded), compressing the path on the way. Iterative: `path` is scratch space.
fn eval(v: u32, ancestor: &mut [u32], label: &mut [u32], semi: &[u32], path: &mut Vec<u32>) -> u32 {
    if ancestor[v as usize] == NONE {
        return v;
    }
    let mut x = v;
    while ancestor[ancestor[x as usize] as usize] != NONE {
        path.push(x);
        x = ancestor[x as usize];
    }
    // Nearest the tree root first, as the recursive COMPRESS would unwind.
    while let Some(y) = path.pop() {
        let a = ancestor[y as usize];
        if semi[label[a as usize] as usize] < semi[label[y as usize] as usize] {
            label[y as usize] = label[a as usize];
        }
        ancestor[y as usize] = ancestor[a as usize];
    }
    label[v as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diamond_with_tail() {
        // 0 → 1, 0 → 2, 1 → 3, 2 → 3, 3 → 4; 5 is unreachable.
        let g = Graph::from_successors(vec![vec![1, 2], vec![3], vec![3], vec![4], vec![], vec![4]]);
        let d = DomTree::new(&g, &[0]);
        let idoms: Vec<_> = (0..6).map(|v| d.idom(v)).collect();
        assert_eq!(idoms, vec![None, Some(0), Some(0), Some(0), Some(3), None]);
        assert_eq!(d.top(), &[0]);
        assert_eq!(d.children(0), &[1, 2, 3]);
        assert_eq!(d.subtree(3), &[3, 4]);
        assert_eq!(d.subtree(0).len(), 5);
        assert!(d.subtree(5).is_empty() && !d.is_reachable(5));
        assert!(d.dominates(0, 4) && d.dominates(3, 3) && !d.dominates(1, 3) && !d.dominates(5, 5));
        let sums = d.subtree_sums(&[&[1, 10, 100, 1000, 10000, 7]]);
        assert_eq!(sums[0], vec![11111, 10, 100, 11000, 10000, 0]);
    }

    #[test]
    fn two_roots_share_a_node() {
        // Roots 0 and 1 both reach 2; 2 → 3.
        let g = Graph::from_successors(vec![vec![2], vec![2], vec![3], vec![]]);
        let d = DomTree::new(&g, &[0, 1, 0]);
        assert_eq!(d.top(), &[0, 1, 2]);
        assert_eq!(d.idom(3), Some(2));
        assert_eq!(d.subtree(0), &[0]);
    }

    #[test]
    fn deep_chain_does_not_recurse() {
        // A 300k-node chain with a back edge from each node to the root: the depth-first tree is one path.
        let n = 300_000u32;
        let g = Graph::from_successors((0..n).map(|v| if v + 1 < n { vec![v + 1, 0] } else { vec![0] }));
        let d = DomTree::new(&g, &[0]);
        assert_eq!(d.idom(n - 1), Some(n - 2));
        assert_eq!(d.subtree_size(0), n);
        assert_eq!(d.subtree_size(n / 2), n - n / 2);
    }

    #[test]
    fn empty_graph_and_no_roots() {
        let g = Graph::from_successors(Vec::<Vec<u32>>::new());
        let d = DomTree::new(&g, &[]);
        assert!(d.top().is_empty() && d.preorder().is_empty());
        let g = Graph::from_successors(vec![vec![0]]);
        let d = DomTree::new(&g, &[]);
        assert!(!d.is_reachable(0));
        let d = DomTree::new(&g, &[0]);
        assert_eq!(d.subtree(0), &[0]);
    }
}
