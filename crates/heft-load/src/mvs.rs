//! Minimal version selection over the module requirement graph, built the
//! way the go command builds it: `readModGraph` in
//! src/cmd/go/internal/modload/buildlist.go (which go.mod files are read,
//! with graph pruning), on top of the incremental MVS graph of
//! src/cmd/go/internal/mvs/graph.go (`Require`, `Selected`, `BuildList`,
//! `FindPath`).
//!
//! The graph does not read files itself: the caller hands it a function
//! giving each module version's requirements (its go.mod "summary", with
//! replacements and exclusions applied), called in parallel, one wave of
//! newly reached module versions at a time.

use std::cmp::Ordering;
use std::collections::HashMap;

use heft_gomod::{compare_go_versions, compare_versions};
use rayon::prelude::*;

/// How much of a module's requirement graph counts (modload's `modPruning`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pruning {
    /// go ≥ 1.17: a module's go.mod lists everything its packages need, so
    /// the requirements of its requirements are not read.
    Pruned,
    /// go < 1.17 (or no go line): the whole transitive closure counts.
    Unpruned,
    /// The main modules of a go.work.
    Workspace,
}

impl Pruning {
    /// `pruningForGoVersion`: pruned from go 1.17 on; a go.mod without a go
    /// line is unpruned.
    pub(crate) fn for_go_version(go: Option<&str>) -> Pruning {
        match go {
            Some(v) if compare_go_versions(v, "1.17").is_ge() => Pruning::Pruned,
            _ => Pruning::Unpruned,
        }
    }

    fn bit(self) -> u8 {
        match self {
            Pruning::Pruned => 1,
            Pruning::Unpruned => 2,
            Pruning::Workspace => 4,
        }
    }
}

/// What the graph needs from one module version's go.mod (modload's
/// `modFileSummary`).
#[derive(Clone, Debug)]
pub(crate) struct Summary {
    /// Requirements in file order, requirements on excluded versions
    /// already dropped; from go 1.21 on this includes `("go", version)`.
    pub requires: Vec<(String, String)>,
    /// `Pruned` or `Unpruned`, from the go line.
    pub pruning: Pruning,
    pub go_version: Option<String>,
}

/// Index of a module version in the graph.
pub(crate) type NodeId = u32;

struct Node {
    path: String,
    /// "" for a main module.
    version: String,
    /// Set once its go.mod has been read (mvs `Graph.Require`).
    requires: Option<Vec<NodeId>>,
    pruning: Pruning,
    go_version: Option<String>,
    /// The prunings it has been queued with (readModGraph's dedupKey).
    queued: u8,
    /// Why its go.mod could not be read.
    failed: bool,
}

/// A module version whose requirements could not be read, with the
/// shortest requirement path from a main module to it (mvs `FindPath`).
#[derive(Debug)]
pub(crate) struct GraphError<E> {
    /// From the first versioned module to the failing one, inclusive.
    pub path: Vec<(String, String)>,
    pub error: E,
}

/// The module graph of one load: every module version reached, the
/// requirements of those whose go.mod was read, and the selected (highest)
/// version of every module path.
pub(crate) struct Graph {
    nodes: Vec<Node>,
    /// Module path → its versions in the graph and the selected one.
    paths: HashMap<String, PathNodes>,
    roots: Vec<NodeId>,
}

struct PathNodes {
    versions: Vec<NodeId>,
    selected: NodeId,
}

/// `gover.ModCompare` plus modload's `cmpVersion`: a main module ("")
/// sorts above every version; `go` and `toolchain` use Go version order.
pub(crate) fn cmp_version(path: &str, a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    match path {
        "go" => compare_go_versions(a, b),
        "toolchain" => compare_go_versions(a.trim_start_matches("go"), b.trim_start_matches("go")),
        _ => compare_versions(a, b),
    }
}

/// `gover.ModSort`: by path, then by version.
pub(crate) fn mod_sort(list: &mut [(String, String)]) {
    list.sort_by(|(p1, v1), (p2, v2)| p1.cmp(p2).then_with(|| cmp_version(p1, v1, v2)));
}

/// `gover.IsToolchain`: the pseudo-modules for the language and toolchain
/// versions, which have no go.mod to read.
fn is_toolchain(path: &str) -> bool {
    path == "go" || path == "toolchain"
}

impl Graph {
    fn new() -> Graph {
        Graph { nodes: Vec::new(), paths: HashMap::new(), roots: Vec::new() }
    }

    fn node(&mut self, path: &str, version: &str) -> NodeId {
        if let Some(p) = self.paths.get(path)
            && let Some(&id) = p.versions.iter().find(|&&id| self.nodes[id as usize].version == version)
        {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            path: path.to_string(),
            version: version.to_string(),
            requires: None,
            pruning: Pruning::Unpruned,
            go_version: None,
            queued: 0,
            failed: false,
        });
        match self.paths.get_mut(path) {
            Some(p) => p.versions.push(id),
            None => {
                self.paths.insert(path.to_string(), PathNodes { versions: vec![id], selected: id });
            }
        }
        id
    }

    /// Counts `id` as reachable: raises its path's selected version.
    fn reach(&mut self, id: NodeId) {
        let n = &self.nodes[id as usize];
        let p = self.paths.get_mut(&n.path).expect("interned path");
        let sel = &self.nodes[p.selected as usize];
        if cmp_version(&n.path, &sel.version, &n.version).is_lt() {
            p.selected = id;
        }
    }

    /// mvs `Graph.Require`: `id`'s requirements are known.
    fn require(&mut self, id: NodeId, reqs: &[(String, String)]) -> Vec<NodeId> {
        let ids: Vec<NodeId> = reqs.iter().map(|(p, v)| self.node(p, v)).collect();
        for &r in &ids {
            self.reach(r);
        }
        self.nodes[id as usize].requires = Some(ids.clone());
        ids
    }

    /// The graph of a single main module: `roots` are its go.mod's
    /// requirements (exclusions dropped, plus `("go", version)`), followed
    /// with `pruning` (the main module's own). `summary` gives the go.mod
    /// of any other module version; it is called once per version, in
    /// parallel.
    /// `roots` should be in `gover.ModSort` order, as the go command
    /// sorts them (see [`mod_sort`]): it decides which requirement path an
    /// error is reported with.
    pub(crate) fn load_single<F, E>(
        main: &str,
        roots: &[(String, String)],
        pruning: Pruning,
        summary: F,
    ) -> (Graph, Vec<(NodeId, E)>)
    where
        F: Fn(&str, &str) -> Result<Summary, E> + Sync,
        E: Send,
    {
        let mut g = Graph::new();
        let main_id = g.node(main, "");
        g.roots.push(main_id);
        let ids = g.require(main_id, roots);
        let queue = ids.into_iter().filter(|&id| g.enqueue(id, pruning)).map(|id| (id, pruning)).collect();
        let mut errors = Vec::new();
        g.run(queue, &summary, &mut errors);
        (g, errors)
    }

    /// The graph of a workspace (`pruning == workspace` in readModGraph):
    /// `summary(main, "")` must give a main module's own requirements.
    pub(crate) fn load_workspace<F, E>(mains: &[String], summary: F) -> (Graph, Vec<(NodeId, E)>)
    where
        F: Fn(&str, &str) -> Result<Summary, E> + Sync,
        E: Send,
    {
        let mut g = Graph::new();
        for m in mains {
            let id = g.node(m, "");
            g.roots.push(id);
        }
        let mut errors = Vec::new();
        let roots = g.roots.clone();
        let queue = roots
            .into_iter()
            .filter(|&id| g.enqueue(id, Pruning::Workspace))
            .map(|id| (id, Pruning::Workspace))
            .collect();
        g.run(queue, &summary, &mut errors);

        // Reload the dependencies of the main modules that are not at
        // their selected versions: their requirements at the selected
        // version may provide packages too.
        let mut has_deps_in_all: Vec<String> = mains.to_vec();
        let mut seen: Vec<bool> = Vec::new();
        loop {
            seen.resize(g.nodes.len(), false);
            let mut needs: Vec<NodeId> = Vec::new();
            for p in &has_deps_in_all {
                let m = g.paths[p.as_str()].selected;
                if !seen[m as usize] {
                    needs.push(m);
                    continue;
                }
                for &r in g.nodes[m as usize].requires.as_deref().unwrap_or(&[]) {
                    let rn = &g.nodes[r as usize];
                    let s = g.paths[rn.path.as_str()].selected;
                    if cmp_version(&rn.path, &g.nodes[s as usize].version, &rn.version).is_gt() && !seen[s as usize] {
                        needs.push(s);
                    }
                }
            }
            needs.sort_unstable();
            needs.dedup();
            if needs.is_empty() {
                break;
            }
            let mut queue = Vec::new();
            for &id in &needs {
                seen[id as usize] = true;
                let path = g.nodes[id as usize].path.clone();
                if !has_deps_in_all.contains(&path) {
                    has_deps_in_all.push(path);
                }
                if g.enqueue(id, Pruning::Workspace) {
                    queue.push((id, Pruning::Workspace));
                }
            }
            g.run(queue, &summary, &mut errors);
        }
        (g, errors)
    }

    /// Marks `id` queued with `pruning`; false if it already was.
    fn enqueue(&mut self, id: NodeId, pruning: Pruning) -> bool {
        let n = &mut self.nodes[id as usize];
        if n.queued & pruning.bit() != 0 || is_toolchain(&n.path) {
            return false;
        }
        n.queued |= pruning.bit();
        true
    }

    /// readModGraph's load queue, one wave at a time: read the go.mod of
    /// every newly queued version (in parallel), then queue what each
    /// one's pruning says to follow. Entries come marked by `enqueue`.
    fn run<F, E>(&mut self, mut queue: Vec<(NodeId, Pruning)>, summary: &F, errors: &mut Vec<(NodeId, E)>)
    where
        F: Fn(&str, &str) -> Result<Summary, E> + Sync,
        E: Send,
    {
        while !queue.is_empty() {
            let mut todo: Vec<NodeId> = queue
                .iter()
                .map(|&(id, _)| id)
                .filter(|&id| {
                    let n = &self.nodes[id as usize];
                    n.requires.is_none() && !n.failed
                })
                .collect();
            todo.sort_unstable();
            todo.dedup();
            let nodes = &self.nodes;
            let read: Vec<(NodeId, Result<Summary, E>)> = todo
                .par_iter()
                .map(|&id| {
                    let n = &nodes[id as usize];
                    (id, summary(&n.path, &n.version))
                })
                .collect();
            for (id, r) in read {
                match r {
                    Ok(s) => {
                        let n = &mut self.nodes[id as usize];
                        n.pruning = s.pruning;
                        n.go_version = s.go_version;
                        self.require(id, &s.requires);
                    }
                    Err(e) => {
                        self.nodes[id as usize].failed = true;
                        errors.push((id, e));
                    }
                }
            }
            let mut next = Vec::new();
            for (id, pruning) in std::mem::take(&mut queue) {
                let n = &self.nodes[id as usize];
                let Some(reqs) = n.requires.clone() else { continue };
                // A module without pruning needs its whole transitive
                // graph; once unpruned, always unpruned.
                let own = n.pruning;
                let next_pruning = if pruning == Pruning::Unpruned { Pruning::Unpruned } else { own };
                if pruning != Pruning::Pruned || own == Pruning::Unpruned {
                    for r in reqs {
                        if self.enqueue(r, next_pruning) {
                            next.push((r, next_pruning));
                        }
                    }
                }
            }
            queue = next;
        }
    }

    /// The selected version of `path` ("" for a main module), if the
    /// graph has it.
    pub(crate) fn selected(&self, path: &str) -> Option<&str> {
        self.paths.get(path).map(|p| self.nodes[p.selected as usize].version.as_str())
    }

    /// The go line of the selected version of `path`, where it was read.
    pub(crate) fn go_version(&self, path: &str) -> Option<&str> {
        self.paths.get(path).and_then(|p| self.nodes[p.selected as usize].go_version.as_deref())
    }

    /// Every module path with its selected version, main modules and the
    /// `go`/`toolchain` pseudo-modules left out, sorted by path.
    pub(crate) fn build_list(&self) -> Vec<(&str, &str)> {
        let mut list: Vec<(&str, &str)> = self
            .paths
            .iter()
            .map(|(path, p)| (path.as_str(), self.nodes[p.selected as usize].version.as_str()))
            .filter(|(path, v)| !v.is_empty() && !is_toolchain(path))
            .collect();
        list.sort_unstable();
        list
    }

    /// Of the versions that failed to load, the one mvs `FindPath` reaches
    /// first (breadth-first from the main modules, in requirement order),
    /// with its requirement path; main modules are left off the path as
    /// `BuildListError` leaves them off.
    pub(crate) fn first_error<E>(&self, mut errors: Vec<(NodeId, E)>) -> Option<GraphError<E>> {
        if errors.is_empty() {
            return None;
        }
        let mut parent: Vec<Option<NodeId>> = vec![None; self.nodes.len()];
        let mut seen = vec![false; self.nodes.len()];
        let mut queue: std::collections::VecDeque<NodeId> = self.roots.iter().copied().collect();
        for &r in &self.roots {
            seen[r as usize] = true;
        }
        let mut found = None;
        while let Some(m) = queue.pop_front() {
            if self.nodes[m as usize].failed {
                found = Some(m);
                break;
            }
            for &r in self.nodes[m as usize].requires.as_deref().unwrap_or(&[]) {
                if !seen[r as usize] {
                    seen[r as usize] = true;
                    parent[r as usize] = Some(m);
                    queue.push_back(r);
                }
            }
        }
        // Every failed node was reached from a root, so this only falls
        // back on the first error for safety.
        let target = found.unwrap_or(errors[0].0);
        let mut path = Vec::new();
        let mut at = Some(target);
        while let Some(id) = at {
            let n = &self.nodes[id as usize];
            if !n.version.is_empty() {
                path.push((n.path.clone(), n.version.clone()));
            }
            at = parent[id as usize];
        }
        path.reverse();
        let i = errors.iter().position(|(id, _)| *id == target).unwrap_or(0);
        let (_, error) = errors.swap_remove(i);
        Some(GraphError { path, error })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module universe: (path, version) → (go version, requirements).
    type Universe = HashMap<(String, String), (Option<&'static str>, Vec<(String, String)>)>;

    /// (path, version, go line, requirements).
    type ModSpec<'a> = (&'a str, &'a str, Option<&'static str>, &'a [(&'a str, &'a str)]);

    fn universe(mods: &[ModSpec]) -> Universe {
        mods.iter()
            .map(|(p, v, go, reqs)| {
                (
                    (p.to_string(), v.to_string()),
                    (*go, reqs.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect()),
                )
            })
            .collect()
    }

    fn summary_from(u: &Universe) -> impl Fn(&str, &str) -> Result<Summary, String> + Sync + '_ {
        move |p, v| {
            let (go, reqs) = u.get(&(p.to_string(), v.to_string())).ok_or_else(|| format!("no {p}@{v}"))?;
            Ok(Summary {
                requires: reqs.clone(),
                pruning: Pruning::for_go_version(*go),
                go_version: go.map(String::from),
            })
        }
    }

    fn reqs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(p, v)| (p.to_string(), v.to_string())).collect()
    }

    #[test]
    fn unpruned_takes_the_highest_anywhere() {
        let u = universe(&[
            ("a", "v1.0.0", None, &[("b", "v1.2.0"), ("d", "v1.0.0")]),
            ("b", "v1.1.0", None, &[]),
            ("b", "v1.2.0", None, &[]),
            ("c", "v1.0.0", None, &[("b", "v1.1.0")]),
            ("d", "v1.0.0", Some("1.21"), &[("e", "v1.0.0")]),
            ("e", "v1.0.0", Some("1.21"), &[("b", "v1.3.0")]),
            ("b", "v1.3.0", None, &[]),
        ]);
        let (g, errs) =
            Graph::load_single("m", &reqs(&[("a", "v1.0.0"), ("c", "v1.0.0")]), Pruning::Unpruned, summary_from(&u));
        assert!(errs.is_empty());
        assert_eq!(g.selected("b"), Some("v1.3.0"));
        assert_eq!(g.selected("m"), Some(""));
        assert_eq!(
            g.build_list(),
            [("a", "v1.0.0"), ("b", "v1.3.0"), ("c", "v1.0.0"), ("d", "v1.0.0"), ("e", "v1.0.0")]
        );
    }

    #[test]
    fn pruned_stops_at_pruned_dependencies() {
        let u = universe(&[
            ("a", "v1.0.0", Some("1.21"), &[("d", "v1.0.0")]),
            ("b", "v1.1.0", Some("1.21"), &[]),
            ("d", "v1.0.0", Some("1.21"), &[("b", "v1.2.0")]),
            // An unpruned dependency contributes its whole closure.
            ("u", "v1.0.0", Some("1.16"), &[("v", "v1.0.0")]),
            ("v", "v1.0.0", Some("1.21"), &[("w", "v1.0.0")]),
            ("w", "v1.0.0", Some("1.21"), &[("x", "v1.5.0")]),
            ("x", "v1.5.0", Some("1.21"), &[]),
        ]);
        let roots = reqs(&[("a", "v1.0.0"), ("b", "v1.1.0"), ("u", "v1.0.0")]);
        let read = std::sync::Mutex::new(Vec::new());
        let summary = summary_from(&u);
        let (g, errs) = Graph::load_single("m", &roots, Pruning::Pruned, |p, v| {
            read.lock().unwrap().push(p.to_string());
            summary(p, v)
        });
        assert!(errs.is_empty());
        let mut read = read.into_inner().unwrap();
        read.sort();
        assert_eq!(read, ["a", "b", "u", "v", "w", "x"], "d's go.mod must not be read");
        assert_eq!(g.selected("b"), Some("v1.1.0"));
        assert_eq!(g.selected("d"), Some("v1.0.0"));
        assert_eq!(g.selected("x"), Some("v1.5.0"));
        // The same roots unpruned read d, and b goes up.
        let (g, _) = Graph::load_single("m", &roots, Pruning::Unpruned, summary_from(&u));
        assert_eq!(g.selected("b"), Some("v1.2.0"));
    }

    #[test]
    fn workspace_reloads_upgraded_dependencies() {
        let u = universe(&[
            ("w1", "", Some("1.22"), &[("a", "v1.0.0"), ("b", "v1.1.0")]),
            ("w2", "", Some("1.22"), &[("b", "v1.2.0"), ("c", "v1.0.0"), ("f", "v1.0.0")]),
            ("a", "v1.0.0", Some("1.22"), &[("c", "v1.1.0")]),
            ("c", "v1.0.0", Some("1.22"), &[]),
            ("c", "v1.1.0", Some("1.22"), &[("d", "v1.0.0")]),
            ("d", "v1.0.0", Some("1.22"), &[("b", "v1.3.0")]),
            ("f", "v1.0.0", Some("1.22"), &[("g", "v1.0.0")]),
            ("g", "v1.0.0", Some("1.22"), &[("b", "v1.9.0")]),
            ("b", "v1.1.0", Some("1.22"), &[]),
            ("b", "v1.2.0", Some("1.22"), &[]),
            ("b", "v1.3.0", Some("1.22"), &[]),
        ]);
        let (g, errs) = Graph::load_workspace(&["w1".to_string(), "w2".to_string()], summary_from(&u));
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(g.selected("b"), Some("v1.3.0"));
        assert_eq!(g.selected("c"), Some("v1.1.0"));
        assert_eq!(g.selected("w1"), Some(""));
        assert_eq!(
            g.build_list(),
            [("a", "v1.0.0"), ("b", "v1.3.0"), ("c", "v1.1.0"), ("d", "v1.0.0"), ("f", "v1.0.0"), ("g", "v1.0.0")]
        );
    }

    #[test]
    fn errors_come_with_the_shortest_requirement_path() {
        let u = universe(&[
            ("a", "v1.0.0", None, &[("b", "v1.0.0")]),
            ("b", "v1.0.0", None, &[("gone", "v0.1.0")]),
            ("c", "v1.0.0", None, &[]),
        ]);
        let (g, errs) =
            Graph::load_single("m", &reqs(&[("a", "v1.0.0"), ("c", "v1.0.0")]), Pruning::Unpruned, summary_from(&u));
        let e = g.first_error(errs).expect("an error");
        assert_eq!(e.path, reqs(&[("a", "v1.0.0"), ("b", "v1.0.0"), ("gone", "v0.1.0")]));
        assert_eq!(e.error, "no gone@v0.1.0");
    }

    #[test]
    fn cycles_and_go_versions() {
        let u = universe(&[
            ("a", "v1.0.0", Some("1.22"), &[("b", "v1.0.0"), ("go", "1.22")]),
            ("b", "v1.0.0", None, &[("a", "v1.1.0")]),
            ("a", "v1.1.0", None, &[("b", "v1.0.0")]),
        ]);
        let roots = reqs(&[("a", "v1.0.0"), ("go", "1.16")]);
        let (g, errs) = Graph::load_single("m", &roots, Pruning::Unpruned, summary_from(&u));
        assert!(errs.is_empty(), "go is never read");
        assert_eq!(g.selected("a"), Some("v1.1.0"));
        assert_eq!(g.selected("go"), Some("1.22"));
        assert_eq!(g.go_version("a"), None);
        assert_eq!(g.build_list(), [("a", "v1.1.0"), ("b", "v1.0.0")]);
    }

    #[test]
    fn version_order() {
        assert!(cmp_version("x", "", "v9.0.0").is_gt());
        assert!(cmp_version("x", "v1.10.0", "v1.9.0").is_gt());
        assert!(cmp_version("go", "1.21", "1.9").is_gt());
        assert!(cmp_version("toolchain", "go1.21.0", "go1.21rc1").is_gt());
        assert_eq!(Pruning::for_go_version(Some("1.17")), Pruning::Pruned);
        assert_eq!(Pruning::for_go_version(Some("1.16")), Pruning::Unpruned);
        assert_eq!(Pruning::for_go_version(None), Pruning::Unpruned);
    }
}
