//! A heap profile read as a Go team reads it: bytes by the package that
//! allocated them, by the user's package under which it happened, and by
//! constructor with its call sites; with a root, each package's import
//! chain and the cut that would remove it; and two profiles diffed.

use std::collections::{BTreeMap, HashMap};

use heft_load::{PkgId, Program, is_standard_path};
use heft_pprof::{Frame, HeapProfile, HeapValues};
use serde::Serialize;

use crate::diagnostic::{Hop, Location, import_sites};
use crate::evict::plan_eviction;
use crate::graph::ImportGraph;

/// Which of a profile's values to attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Space {
    /// Live at the last collection (`inuse_space`, `inuse_objects`).
    Inuse,
    /// Allocated since the program started (`alloc_space`, `alloc_objects`).
    Alloc,
}

impl Space {
    fn of(self, v: &HeapValues) -> (u64, u64) {
        match self {
            Space::Inuse => (v.inuse_bytes, v.inuse_objects),
            Space::Alloc => (v.alloc_bytes, v.alloc_objects),
        }
    }
}

/// Whose code a package is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Owner {
    /// One of the user's modules (or the main package).
    User,
    /// The standard library.
    Std,
    /// A dependency module.
    Dependency,
}

/// Tells the user's packages from the rest: with a loaded program, by its
/// main modules; without, by the module paths given (the go.mod of the
/// working directory) and, failing those, by where a frame's file lives
/// (a module cache path, `path@version/`, is a dependency's).
pub struct Owners<'a> {
    prog: Option<(&'a Program, PkgId)>,
    modules: Vec<String>,
}

impl<'a> Owners<'a> {
    /// The owners of a loaded program's packages; `root` is the main
    /// package the profile was taken from (the profile calls it `main`).
    pub fn of_program(prog: &'a Program, root: PkgId) -> Owners<'a> {
        let modules = prog.modules.list.iter().filter(|m| m.main).map(|m| m.path.clone()).collect();
        Owners { prog: Some((prog, root)), modules }
    }

    /// The owners by module paths alone (no program loaded): those of
    /// `modules` that the profile has packages of (a go.mod that is not
    /// the profiled program's says nothing about it).
    pub fn of_modules(modules: Vec<String>, profile: &HeapProfile) -> Owners<'static> {
        let mut packages: Vec<&str> = profile.frames.iter().filter_map(|f| f.package.as_deref()).collect();
        packages.sort_unstable();
        packages.dedup();
        let modules = modules.into_iter().filter(|m| packages.iter().any(|p| in_module(p, m))).collect();
        Owners { prog: None, modules }
    }

    /// The import path a profile's package name stands for (`main` is the
    /// root's path when a program is loaded).
    fn path<'p>(&self, package: &'p str) -> std::borrow::Cow<'p, str> {
        match self.prog {
            Some((prog, root)) if package == "main" => prog.package(root).path.clone().into(),
            _ => package.into(),
        }
    }

    fn owner(&self, package: &str, file: &str) -> Owner {
        if package == "main" {
            return Owner::User;
        }
        if let Some((prog, _)) = self.prog
            && let Some(id) = prog.lookup(package)
        {
            let p = prog.package(id);
            return if p.standard {
                Owner::Std
            } else if crate::graph::user_owned(prog, p) {
                Owner::User
            } else {
                Owner::Dependency
            };
        }
        if self.modules.iter().any(|m| in_module(package, m)) {
            Owner::User
        } else if is_standard_path(package) {
            Owner::Std
        } else if self.modules.is_empty() && !in_module_cache(file) {
            Owner::User
        } else {
            Owner::Dependency
        }
    }
}

/// Whether `package` is in module `module` by its path.
fn in_module(package: &str, module: &str) -> bool {
    package.strip_prefix(module).is_some_and(|r| r.is_empty() || r.starts_with('/'))
}

/// A file in the module cache or a vendor directory (`…/mod@v1.2.3/…`,
/// also as `-trimpath` records it).
fn in_module_cache(file: &str) -> bool {
    file.split('/').any(|el| el.contains("@v")) || file.contains("/vendor/")
}

/// The runtime's own frames: the allocator, `makemap`, `growslice`, … are
/// never the code that asked for the memory.
fn is_runtime(package: &str) -> bool {
    package == "runtime" || package.starts_with("runtime/") || package.starts_with("internal/runtime/")
}

/// `go.uber.org/zap/zapcore.newCounters` → `zapcore.newCounters`: the
/// name less its package's directory.
pub fn short_function(name: &str) -> &str {
    match heft_pprof::package_of_function(name) {
        Some(pkg) if name.starts_with(&pkg) => &name[pkg.rfind('/').map_or(0, |i| i + 1)..],
        _ => name,
    }
}

/// Whether a function is part of package initialization: the compiler's
/// `pkg.init` (package-level variables), `pkg.init.0` (an `init()`), and
/// closures inside them.
fn is_initializer(f: &Frame) -> bool {
    let Some(pkg) = &f.package else { return false };
    f.function
        .strip_prefix(pkg.as_str())
        .and_then(|r| r.strip_prefix(".init"))
        .is_some_and(|r| r.is_empty() || r.starts_with('.'))
}

/// Bytes and objects of one package.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageHeap {
    /// The import path.
    pub package: String,
    /// Whose it is.
    pub owner: Owner,
    /// Bytes.
    pub bytes: u64,
    /// Objects.
    pub objects: u64,
    /// With a root: how it is linked, the shortest chain with file:line.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<Hop>,
    /// With a root, for a dependency's package: the imports to cut so
    /// that it leaves the binary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cut: Option<Cut>,
}

/// The imports to cut so that a package leaves the binary.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cut {
    /// Each import to cut: importer, imported, and where.
    pub imports: Vec<CutImport>,
    /// How many packages leave the binary with it.
    pub removes: usize,
    /// When the cut takes most of the user's own packages with it (the
    /// program's structure, not a dependency): how many of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub structural_own_packages_removed: Option<u64>,
    /// The user's own packages in the binary (with the field above).
    #[serde(skip)]
    pub own_packages: u64,
}

/// One import of a cut.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CutImport {
    /// The importer.
    pub from: String,
    /// The imported package.
    pub to: String,
    /// The first import site.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<Location>,
}

/// Where the user's code calls a constructor.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallSite {
    /// The calling function.
    pub function: String,
    /// Its file, as the binary records it.
    pub file: String,
    /// The line of the call.
    pub line: u32,
    /// Bytes allocated under this call.
    pub bytes: u64,
}

/// Allocations that share a constructor and an allocating function.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConstructorGroup {
    /// The function the user's code calls (the first frame under the
    /// outermost frame of the user's modules).
    pub constructor: String,
    /// The path from the constructor to the allocation: the first
    /// function outside the user's modules and the allocator's caller,
    /// when they differ from their neighbours.
    pub via: Vec<String>,
    /// The function that allocated (the first frame outside the runtime).
    pub allocator: String,
    /// Where in it, in the heaviest sample: file (as the binary records
    /// it) and line.
    pub allocator_file: String,
    /// The line.
    pub allocator_line: u32,
    /// Bytes.
    pub bytes: u64,
    /// Objects.
    pub objects: u64,
    /// Every call site, heaviest first.
    pub sites: Vec<CallSite>,
    /// Every call is made while initializing packages (a package-level
    /// variable or an `init` function).
    pub package_level: bool,
}

/// A heap profile attributed.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeapReport {
    /// Which values.
    pub space: Space,
    /// The profiled executable, as the profile names it.
    pub binary: String,
    /// The profile's sampling period in bytes (1: every allocation).
    pub sampling_period: u64,
    /// The root the chains start from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root: Option<String>,
    /// Every sample's bytes.
    pub total_bytes: u64,
    /// Every sample's objects.
    pub total_objects: u64,
    /// By the package that allocated (first frame outside the runtime).
    pub by_allocator: Vec<PackageHeap>,
    /// By the user's package under which it happened (outermost frame of
    /// the user's modules); allocations outside the user's code are under
    /// `(outside your code)`.
    pub by_user_package: Vec<PackageHeap>,
    /// By constructor, heaviest first.
    pub constructors: Vec<ConstructorGroup>,
}

/// Why a profile cannot be attributed.
#[derive(Debug, thiserror::Error)]
pub enum HeapError {
    /// Nothing in the chosen values.
    #[error(
        "the profile holds no {space} bytes: the program allocated nothing the profiler sampled (run it longer, or set GODEBUG=memprofilerate=1 to sample every allocation)"
    )]
    Empty {
        /// `in-use` or `allocated`.
        space: &'static str,
    },
    /// Packages in the profile that the root does not link.
    #[error(
        "the profile does not come from {root}'s binary: it has packages {root} does not link ({count}): {examples}{more} (profile of {binary}; {hint})"
    )]
    NotThisBinary {
        /// The root.
        root: String,
        /// The profiled executable.
        binary: String,
        /// How many packages are foreign.
        count: usize,
        /// A few of them.
        examples: String,
        /// `, …` when there are more.
        more: &'static str,
        /// What to do instead.
        hint: &'static str,
    },
}

/// The package a user's frame stands under when no frame is the user's.
pub const OUTSIDE: &str = "(outside your code)";

/// What one sample is: its allocator, its user package, its constructor.
struct Reading<'p> {
    allocator: &'p Frame,
    user: Option<usize>,
    constructor: usize,
    via: Vec<usize>,
}

fn read_sample<'p>(
    profile: &'p HeapProfile,
    owners: &Owners,
    owner_of: &mut HashMap<u32, Owner>,
    stack: &[u32],
) -> Option<Reading<'p>> {
    let frame = |i: usize| &profile.frames[stack[i] as usize];
    let mut owner = |i: usize| {
        *owner_of.entry(stack[i]).or_insert_with(|| {
            let f = &profile.frames[stack[i] as usize];
            match &f.package {
                Some(p) => owners.owner(p, &f.file),
                None => Owner::Std,
            }
        })
    };
    let not_runtime = |i: usize| frame(i).package.as_deref().is_some_and(|p| !is_runtime(p));
    // Leaf first: the allocator is the first frame outside the runtime.
    let a = (0..stack.len()).find(|&i| not_runtime(i))?;
    // The outermost frame of the user's code.
    let user = (a..stack.len()).rev().find(|&i| owner(i) == Owner::User);
    let outermost = user.unwrap_or_else(|| (a..stack.len()).rev().find(|&i| not_runtime(i)).unwrap_or(a));
    let constructor = if outermost > a { outermost - 1 } else { outermost };
    let mut via = Vec::new();
    if let Some(u) = user {
        // The first function outside the user's modules, on the way down.
        if let Some(entry) = (a..u).rev().find(|&i| owner(i) != Owner::User)
            && entry < constructor
            && entry > a
        {
            via.push(entry);
        }
    }
    if a + 1 < constructor && via.last() != Some(&(a + 1)) {
        via.push(a + 1);
    }
    Some(Reading { allocator: frame(a), user, constructor, via })
}

/// Attributes a profile's `space` values. With `prog` (and the owners
/// made from it), every package must be one the root links.
pub fn attribute(profile: &HeapProfile, owners: &Owners, space: Space) -> Result<HeapReport, HeapError> {
    let totals = profile.totals();
    let (total_bytes, total_objects) = space.of(&totals);
    if total_bytes == 0 {
        return Err(HeapError::Empty { space: if space == Space::Inuse { "in-use" } else { "allocated" } });
    }
    if let Some((prog, root)) = owners.prog {
        check_binary(profile, prog, root)?;
    }
    let mut owner_of = HashMap::new();
    let mut by_allocator: BTreeMap<String, Sum> = BTreeMap::new();
    let mut by_user: BTreeMap<String, Sum> = BTreeMap::new();
    let mut groups: HashMap<(&str, &str), Group> = HashMap::new();
    for s in &profile.samples {
        let (bytes, objects) = space.of(&s.values);
        if bytes == 0 {
            continue;
        }
        let Some(r) = read_sample(profile, owners, &mut owner_of, &s.stack) else { continue };
        let add = |m: &mut BTreeMap<String, Sum>, k: String, owner: Owner| {
            let e = m.entry(k).or_insert(Sum { owner, bytes: 0, objects: 0 });
            e.bytes = e.bytes.saturating_add(bytes);
            e.objects = e.objects.saturating_add(objects);
        };
        let allocator = r.allocator.package.as_deref().unwrap_or("runtime");
        add(&mut by_allocator, owners.path(allocator).into_owned(), owners.owner(allocator, &r.allocator.file));
        match r.user.map(|u| &profile.frames[s.stack[u] as usize]).and_then(|f| f.package.as_deref()) {
            Some(p) => add(&mut by_user, owners.path(p).into_owned(), Owner::User),
            None => add(&mut by_user, OUTSIDE.to_string(), Owner::Dependency),
        }
        let constructor = &profile.frames[s.stack[r.constructor] as usize];
        let g = groups.entry((&constructor.function, &r.allocator.function)).or_insert_with(|| Group {
            constructor: constructor.function.clone(),
            allocator: r.allocator.function.clone(),
            ..Group::default()
        });
        g.bytes = g.bytes.saturating_add(bytes);
        g.objects = g.objects.saturating_add(objects);
        if bytes > g.heaviest {
            g.heaviest = bytes;
            g.via = r.via.iter().map(|&i| profile.frames[s.stack[i] as usize].function.clone()).collect();
            (g.allocator_file, g.allocator_line) = (r.allocator.file.clone(), r.allocator.line);
        }
        // The call site: the frame above the constructor, when there is one.
        let site = (r.constructor + 1 < s.stack.len()).then(|| &profile.frames[s.stack[r.constructor + 1] as usize]);
        if let Some(f) = site.filter(|f| !f.package.as_deref().is_some_and(is_runtime)) {
            g.package_level &= is_initializer(f);
            let e = g.sites.entry((f.function.clone(), f.file.clone(), f.line)).or_default();
            *e = e.saturating_add(bytes);
        } else {
            g.package_level = false;
        }
    }
    let mut constructors: Vec<ConstructorGroup> = groups.into_values().map(Group::finish).collect();
    constructors.sort_by(|a, b| {
        b.bytes.cmp(&a.bytes).then_with(|| (&a.constructor, &a.allocator).cmp(&(&b.constructor, &b.allocator)))
    });
    Ok(HeapReport {
        space,
        binary: profile.binary.clone(),
        sampling_period: profile.period,
        root: owners.prog.map(|(prog, root)| prog.package(root).path.clone()),
        total_bytes,
        total_objects,
        by_allocator: packages(by_allocator),
        by_user_package: packages(by_user),
        constructors,
    })
}

/// A package's sum.
struct Sum {
    owner: Owner,
    bytes: u64,
    objects: u64,
}

struct Group {
    constructor: String,
    allocator: String,
    allocator_file: String,
    allocator_line: u32,
    via: Vec<String>,
    heaviest: u64,
    bytes: u64,
    objects: u64,
    sites: BTreeMap<(String, String, u32), u64>,
    package_level: bool,
}

impl Default for Group {
    fn default() -> Self {
        Group {
            constructor: String::new(),
            allocator: String::new(),
            allocator_file: String::new(),
            allocator_line: 0,
            via: Vec::new(),
            heaviest: 0,
            bytes: 0,
            objects: 0,
            sites: BTreeMap::new(),
            package_level: true,
        }
    }
}

impl Group {
    fn finish(self) -> ConstructorGroup {
        let mut sites: Vec<CallSite> = self
            .sites
            .into_iter()
            .map(|((function, file, line), bytes)| CallSite { function, file, line, bytes })
            .collect();
        sites.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| (&a.file, a.line).cmp(&(&b.file, b.line))));
        ConstructorGroup {
            package_level: self.package_level && !sites.is_empty(),
            constructor: self.constructor,
            via: self.via,
            allocator: self.allocator,
            allocator_file: self.allocator_file,
            allocator_line: self.allocator_line,
            bytes: self.bytes,
            objects: self.objects,
            sites,
        }
    }
}

fn packages(m: BTreeMap<String, Sum>) -> Vec<PackageHeap> {
    let mut v: Vec<PackageHeap> = m
        .into_iter()
        .map(|(package, s)| PackageHeap {
            owner: s.owner,
            package,
            bytes: s.bytes,
            objects: s.objects,
            chain: Vec::new(),
            cut: None,
        })
        .collect();
    v.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.package.cmp(&b.package)));
    v
}

/// Fails when the profile has packages the root does not link.
fn check_binary(profile: &HeapProfile, prog: &Program, root: PkgId) -> Result<(), HeapError> {
    let mut foreign: Vec<&str> = profile
        .frames
        .iter()
        .filter_map(|f| f.package.as_deref())
        .filter(|p| *p != "main" && prog.lookup(p).is_none())
        .collect();
    // The dependencies' packages tell more than std's: named first.
    foreign.sort_unstable_by_key(|p| (is_standard_path(p), *p));
    foreign.dedup();
    if foreign.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 3;
    // A test binary links `testing`, which a program does not.
    let hint = if foreign.contains(&"testing") {
        "a test binary's profile (go test -memprofile): read it without a root"
    } else {
        "name the main package it was built from"
    };
    Err(HeapError::NotThisBinary {
        hint,
        root: prog.package(root).path.clone(),
        binary: if profile.binary.is_empty() { "an unnamed binary".into() } else { profile.binary.clone() },
        count: foreign.len(),
        examples: foreign.iter().take(SHOWN).copied().collect::<Vec<_>>().join(", "),
        more: if foreign.len() > SHOWN { ", …" } else { "" },
    })
}

/// Adds, for the first `top` packages of each list, the chain from the
/// root and, for dependencies' packages, the cut that removes them.
pub fn explain_packages(report: &mut HeapReport, prog: &Program, root: PkgId, top: usize, warnings: &mut Vec<String>) {
    let ig = ImportGraph::of(prog);
    let mut cuts: HashMap<String, Option<Cut>> = HashMap::new();
    for list in [&mut report.by_allocator, &mut report.by_user_package] {
        for p in list.iter_mut().take(crate::top(top, usize::MAX)) {
            let Some(id) = prog.lookup(&p.package) else { continue };
            if let Some(chain) = crate::why::shortest(prog, root, id) {
                p.chain = Hop::chain(prog, &chain);
            }
            if p.owner == Owner::Dependency {
                p.cut = cuts
                    .entry(p.package.clone())
                    .or_insert_with(|| {
                        let ev = plan_eviction(prog, &ig, &[root], &p.package, &[id], false, true, warnings).ok()?;
                        let structural = ev.takes_structure(prog);
                        Some(Cut {
                            imports: ev
                                .plan
                                .edges
                                .iter()
                                .map(|&e| {
                                    let (from, to) = ig.graph.edge(e);
                                    CutImport {
                                        from: prog.package(from).path.clone(),
                                        to: prog.package(to).path.clone(),
                                        at: import_sites(prog, from, to).into_iter().next(),
                                    }
                                })
                                .collect(),
                            removes: ev.removed.len(),
                            structural_own_packages_removed: structural.map(|(own, _)| own),
                            own_packages: structural.map_or(0, |(_, of)| of),
                        })
                    })
                    .clone();
            }
        }
    }
}

/// One package in two profiles.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageDelta {
    /// The import path.
    pub package: String,
    /// Bytes in the old profile.
    pub old_bytes: u64,
    /// Bytes in the new one.
    pub new_bytes: u64,
}

impl PackageDelta {
    /// New less old.
    pub fn delta(&self) -> i64 {
        (self.new_bytes as i128 - self.old_bytes as i128).clamp(i64::MIN as i128, i64::MAX as i128) as i64
    }
}

/// Two profiles' attributions side by side.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HeapDiff {
    /// Which values.
    pub space: Space,
    /// Totals, old.
    pub old_bytes: u64,
    /// Totals, new.
    pub new_bytes: u64,
    /// By allocating package, largest change first.
    pub by_allocator: Vec<PackageDelta>,
    /// By the user's package, largest change first.
    pub by_user_package: Vec<PackageDelta>,
}

/// The difference between two attributed profiles.
pub fn diff(old: &HeapReport, new: &HeapReport) -> HeapDiff {
    fn side(old: &[PackageHeap], new: &[PackageHeap]) -> Vec<PackageDelta> {
        let mut m: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
        for p in old {
            m.entry(&p.package).or_default().0 = p.bytes;
        }
        for p in new {
            m.entry(&p.package).or_default().1 = p.bytes;
        }
        let mut v: Vec<PackageDelta> = m
            .into_iter()
            .filter(|(_, (o, n))| o != n)
            .map(|(p, (old_bytes, new_bytes))| PackageDelta { package: p.to_string(), old_bytes, new_bytes })
            .collect();
        v.sort_by(|a, b| {
            b.delta().unsigned_abs().cmp(&a.delta().unsigned_abs()).then_with(|| a.package.cmp(&b.package))
        });
        v
    }
    HeapDiff {
        space: new.space,
        old_bytes: old.total_bytes,
        new_bytes: new.total_bytes,
        by_allocator: side(&old.by_allocator, &new.by_allocator),
        by_user_package: side(&old.by_user_package, &new.by_user_package),
    }
}
