//! Why is a package in a binary: import chains from a root to it.

use std::collections::VecDeque;

use crate::Graph;

/// One shortest chain `from → … → to` (breadth-first; ties go to the
/// earliest successor), or None when `to` is not reachable.
pub fn shortest_chain(g: &Graph, from: u32, to: u32) -> Option<Vec<u32>> {
    let dist = distances(g, from);
    dist[to as usize]?;
    // Walk back along any predecessor one step closer; to keep ties
    // deterministic in forward order, rebuild forward from `from` instead.
    let to_target = distances(&g.reversed(), to);
    let mut chain = vec![from];
    let mut v = from;
    while v != to {
        let need = to_target[v as usize]? - 1;
        v = *g.successors(v).iter().find(|&&s| to_target[s as usize] == Some(need))?;
        chain.push(v);
    }
    Some(chain)
}

/// Breadth-first distances from `from` (None = unreachable).
pub fn distances(g: &Graph, from: u32) -> Vec<Option<u32>> {
    let mut dist = vec![None; g.node_count()];
    let mut queue = VecDeque::new();
    dist[from as usize] = Some(0);
    queue.push_back(from);
    while let Some(v) = queue.pop_front() {
        let d = dist[v as usize].unwrap_or(0) + 1;
        for &s in g.successors(v) {
            if dist[s as usize].is_none() {
                dist[s as usize] = Some(d);
                queue.push_back(s);
            }
        }
    }
    dist
}

/// Every chain from `from` to `to`, or where there are too many of them.
#[derive(Debug, PartialEq, Eq)]
pub enum Chains {
    /// All simple chains, shortest first.
    All(Vec<Vec<u32>>),
    /// More than the limit: a compact picture of all chains, and the
    /// shortest ones.
    TooMany {
        /// Each node on some chain, with its successors that are also on one.
        edges: Vec<(u32, Vec<u32>)>,
        /// The shortest chains, at most `limit` of them.
        shortest: Vec<Vec<u32>>,
        /// Whether `shortest` holds every chain of that shortest length.
        shortest_complete: bool,
        /// A lower bound on the number of chains: `limit + 1`.
        lower_bound: usize,
    },
}

/// Lists every simple chain `from → … → to` when there are at most `limit`.
pub fn all_chains(g: &Graph, from: u32, to: u32, limit: usize) -> Chains {
    let reaches_target = g.reversed().reachable_from(&[to]);
    let mut chains = Vec::new();
    let complete = enumerate_chains(g, from, to, &reaches_target, limit, &mut chains);
    if complete {
        chains.sort_by_key(Vec::len);
        return Chains::All(chains);
    }
    let on_chain: Vec<bool> = {
        let from_root = g.reachable_from(&[from]);
        from_root.iter().zip(&reaches_target).map(|(a, b)| *a && *b).collect()
    };
    let edges = (0..g.node_count() as u32)
        .filter(|&v| on_chain[v as usize])
        .map(|v| (v, g.successors(v).iter().copied().filter(|&s| on_chain[s as usize]).collect()))
        .collect();
    let mut shortest = Vec::new();
    let shortest_complete = shortest_chains(g, from, to, limit, &mut shortest);
    Chains::TooMany { edges, shortest, shortest_complete, lower_bound: limit + 1 }
}

/// Depth-first enumeration restricted to nodes that reach the target;
/// false when more than `limit` chains exist.
fn enumerate_chains(g: &Graph, from: u32, to: u32, reaches: &[bool], limit: usize, out: &mut Vec<Vec<u32>>) -> bool {
    if !reaches[from as usize] {
        return true;
    }
    let mut on_path = vec![false; g.node_count()];
    let mut path = vec![from];
    on_path[from as usize] = true;
    let mut stack: Vec<usize> = vec![0];
    if from == to {
        out.push(path);
        return true;
    }
    while let Some(next) = stack.last_mut() {
        let v = *path.last().expect("path follows stack");
        let succ = g.successors(v);
        if *next >= succ.len() {
            stack.pop();
            on_path[v as usize] = false;
            path.pop();
            continue;
        }
        let s = succ[*next];
        *next += 1;
        if on_path[s as usize] || !reaches[s as usize] {
            continue;
        }
        if s == to {
            if out.len() == limit {
                return false;
            }
            let mut chain = path.clone();
            chain.push(s);
            out.push(chain);
            continue;
        }
        on_path[s as usize] = true;
        path.push(s);
        stack.push(0);
    }
    true
}

/// Every shortest chain (they all walk the BFS layers), up to `limit`.
pub fn shortest_chains(g: &Graph, from: u32, to: u32, limit: usize, out: &mut Vec<Vec<u32>>) -> bool {
    let to_target = distances(&g.reversed(), to);
    let Some(len) = to_target[from as usize] else {
        return true;
    };
    let mut path = vec![from];
    /// False once a chain beyond the limit was found.
    fn go(
        g: &Graph,
        to_target: &[Option<u32>],
        path: &mut Vec<u32>,
        left: u32,
        limit: usize,
        out: &mut Vec<Vec<u32>>,
    ) -> bool {
        let v = *path.last().expect("non-empty");
        if left == 0 {
            if out.len() >= limit {
                return false;
            }
            out.push(path.clone());
            return true;
        }
        for &s in g.successors(v) {
            if to_target[s as usize] == Some(left - 1) {
                path.push(s);
                let more = go(g, to_target, path, left - 1, limit, out);
                path.pop();
                if !more {
                    return false;
                }
            }
        }
        true
    }
    go(g, &to_target, &mut path, len, limit, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_chains_past_the_limit_say_so() {
        // A diamond chain: 2^k shortest chains.
        let k = 40u32;
        let g = Graph::from_successors((0..=3 * k).map(|v| match v % 3 {
            _ if v == 3 * k => vec![],
            0 => vec![v + 1, v + 2],
            _ => vec![v + 3 - v % 3],
        }));
        let mut shortest = Vec::new();
        assert!(!shortest_chains(&g, 0, 3 * k, 50, &mut shortest));
        assert_eq!(shortest.len(), 50);
        match all_chains(&g, 0, 3 * k, 50) {
            Chains::TooMany { shortest, shortest_complete, .. } => assert!(shortest.len() == 50 && !shortest_complete),
            Chains::All(c) => panic!("2^40 chains listed as {}", c.len()),
        }
    }

    /// Every simple path, by brute force over all node sequences.
    fn brute_paths(g: &Graph, from: u32, to: u32) -> Vec<Vec<u32>> {
        let mut out = Vec::new();
        fn dfs(g: &Graph, path: &mut Vec<u32>, to: u32, out: &mut Vec<Vec<u32>>) {
            let v = *path.last().unwrap();
            if v == to {
                out.push(path.clone());
                return;
            }
            for &s in g.successors(v) {
                if !path.contains(&s) {
                    path.push(s);
                    dfs(g, path, to, out);
                    path.pop();
                }
            }
        }
        dfs(g, &mut vec![from], to, &mut out);
        out
    }

    fn random_graph(seed: u64, n: u32, p: u32) -> Graph {
        let mut x = seed | 1;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        Graph::from_successors((0..n).map(|_| (0..n).filter(|_| rnd() % 100 < p as u64).collect::<Vec<_>>()))
    }

    #[test]
    fn chains_match_brute_force_on_random_graphs() {
        for seed in 1..300u64 {
            let g = random_graph(seed, 7, 25);
            let (from, to) = (0, 6);
            let mut brute = brute_paths(&g, from, to);
            brute.sort();
            match all_chains(&g, from, to, 10_000) {
                Chains::All(mut got) => {
                    got.sort();
                    assert_eq!(got, brute, "seed {seed}");
                }
                other => panic!("unexpected {other:?}"),
            }
            let min = brute.iter().map(Vec::len).min();
            assert_eq!(shortest_chain(&g, from, to).map(|c| c.len()), min, "seed {seed}");
            if let Some(c) = shortest_chain(&g, from, to) {
                assert!(c.windows(2).all(|w| g.successors(w[0]).contains(&w[1])));
            }
            let mut shortest = Vec::new();
            assert!(shortest_chains(&g, from, to, usize::MAX, &mut shortest));
            let mut want: Vec<_> = brute.iter().filter(|p| Some(p.len()) == min).cloned().collect();
            want.sort();
            shortest.sort();
            assert_eq!(shortest, want, "seed {seed}");
        }
    }

    #[test]
    fn too_many_chains_gives_compact_graph() {
        // A ladder: 2^k chains.
        let k = 12u32;
        let g = Graph::from_successors((0..=2 * k).map(|v| {
            if v >= 2 * k - 1 {
                vec![2 * k]
            } else if v == 2 * k {
                vec![]
            } else {
                vec![v + 1, v + 2]
            }
        }));
        match all_chains(&g, 0, 2 * k, 100) {
            Chains::TooMany { edges, shortest, shortest_complete, .. } => {
                assert!(!edges.is_empty());
                // Shortest chains are 12 hops of 2 steps: just one.
                assert_eq!(shortest.len(), 1);
                assert!(shortest_complete);
            }
            Chains::All(c) => panic!("expected too many, got {}", c.len()),
        }
    }
}
