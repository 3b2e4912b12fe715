//! heft-graph: the package graph in compact form (ids and adjacency arrays,
//! no strings) and the analyses over it.

#![warn(missing_docs)]

pub mod cuts;
pub mod dominators;
pub mod evict;
pub mod why;

/// A directed graph over nodes `0..n`, successors in compressed rows.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    /// Builds the graph from each node's successor list, in node order.
    pub fn from_successors<I, S>(succ: I) -> Graph
    where
        I: IntoIterator<Item = S>,
        S: IntoIterator<Item = u32>,
    {
        let mut offsets = vec![0u32];
        let mut targets = Vec::new();
        for s in succ {
            targets.extend(s);
            offsets.push(targets.len() as u32);
        }
        Graph { offsets, targets }
    }

    /// Number of nodes `n`; nodes are `0..n`.
    pub fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Number of edges, parallel edges counted each.
    pub fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// The targets of `v`'s edges, in the order given at construction.
    pub fn successors(&self, v: u32) -> &[u32] {
        let (a, b) = (self.offsets[v as usize] as usize, self.offsets[v as usize + 1] as usize);
        &self.targets[a..b]
    }

    /// The ids of the edges leaving `v`. Edge ids number the successor lists end to end, so the `i`-th
    /// successor of `v` is edge `edge_ids(v).start + i`; per-edge results are arrays indexed by these ids.
    pub fn edge_ids(&self, v: u32) -> std::ops::Range<u32> {
        self.offsets[v as usize]..self.offsets[v as usize + 1]
    }

    /// Edge `e` as `(source, target)`; the source is found by binary search.
    pub fn edge(&self, e: u32) -> (u32, u32) {
        let source = self.offsets.partition_point(|&o| o <= e) - 1;
        (source as u32, self.targets[e as usize])
    }

    /// The same nodes with every edge reversed.
    pub fn reversed(&self) -> Graph {
        let n = self.node_count();
        let mut counts = vec![0u32; n + 1];
        for &t in &self.targets {
            counts[t as usize + 1] += 1;
        }
        for i in 0..n {
            counts[i + 1] += counts[i];
        }
        let mut fill = counts.clone();
        let mut targets = vec![0u32; self.targets.len()];
        for v in 0..n as u32 {
            for &t in self.successors(v) {
                targets[fill[t as usize] as usize] = v;
                fill[t as usize] += 1;
            }
        }
        Graph { offsets: counts, targets }
    }

    /// Nodes reachable from `from` (included), as a membership vector.
    pub fn reachable_from(&self, from: &[u32]) -> Vec<bool> {
        let mut seen = vec![false; self.node_count()];
        let mut stack: Vec<u32> = Vec::new();
        for &f in from {
            if !seen[f as usize] {
                seen[f as usize] = true;
                stack.push(f);
            }
        }
        while let Some(v) = stack.pop() {
            for &t in self.successors(v) {
                if !seen[t as usize] {
                    seen[t as usize] = true;
                    stack.push(t);
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
    fn reverse_and_reach() {
        let g = Graph::from_successors(vec![vec![1, 2], vec![2], vec![], vec![0]]);
        assert_eq!(g.node_count(), 4);
        assert_eq!(g.edge_count(), 4);
        let r = g.reversed();
        assert_eq!(r.successors(2), &[0, 1]);
        assert_eq!(r.successors(0), &[3]);
        assert_eq!(g.reachable_from(&[1]), vec![false, true, true, false]);
        assert_eq!(g.edge_ids(1), 2..3);
        assert_eq!(g.edge_ids(2), 3..3);
        assert_eq!((0..4).map(|e| g.edge(e)).collect::<Vec<_>>(), vec![(0, 1), (0, 2), (1, 2), (3, 0)]);
    }
}
