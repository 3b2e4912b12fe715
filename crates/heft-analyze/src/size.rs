//! The difference between two size reports (binaries, or saved `heft
//! size --json` results), per section and per package or module.

use std::collections::BTreeMap;

use heft_gobin::{Group, SizeReport};
use serde::Serialize;

/// How to group bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// Per package.
    Package,
    /// Per module.
    Module,
}

impl By {
    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            By::Package => "package",
            By::Module => "module",
        }
    }
}

/// A report's groups by `by`.
pub fn groups(r: &SizeReport, by: By) -> &[Group] {
    match by {
        By::Package => &r.packages,
        By::Module => &r.modules,
    }
}

/// The difference between two reports.
#[derive(Serialize, Debug)]
#[serde(rename_all = "camelCase")]
pub struct Diff {
    /// The old file.
    pub old: String,
    /// The new file.
    pub new: String,
    /// `package` or `module`.
    pub by: &'static str,
    /// The files' sizes.
    pub file_size: Delta,
    /// Sections whose size changed, largest change first.
    pub sections: Vec<NamedDelta>,
    /// Groups whose bytes changed, largest change first.
    pub groups: Vec<NamedDelta>,
}

#[derive(Serialize, Debug, Default, Clone, Copy)]
/// A size before and after.
pub struct Delta {
    /// Before.
    pub old: u64,
    /// After.
    pub new: u64,
    /// After less before (saturated at the bounds of i64).
    pub delta: i64,
}

impl Delta {
    fn new(old: u64, new: u64) -> Delta {
        let delta = (i128::from(new) - i128::from(old)).clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Delta { old, new, delta }
    }
}

#[derive(Serialize, Debug)]
/// A named size before and after.
pub struct NamedDelta {
    /// The section, package or module.
    pub name: String,
    /// The sizes.
    #[serde(flatten)]
    pub delta: Delta,
}

fn pair_up(old: impl Iterator<Item = (String, u64)>, new: impl Iterator<Item = (String, u64)>) -> Vec<NamedDelta> {
    let mut m: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for (k, v) in old {
        let e = m.entry(k).or_default();
        e.0 = e.0.saturating_add(v);
    }
    for (k, v) in new {
        let e = m.entry(k).or_default();
        e.1 = e.1.saturating_add(v);
    }
    let mut v: Vec<NamedDelta> = m
        .into_iter()
        .filter(|(_, (a, b))| a != b)
        .map(|(name, (a, b))| NamedDelta { name, delta: Delta::new(a, b) })
        .collect();
    v.sort_by(|a, b| b.delta.delta.unsigned_abs().cmp(&a.delta.delta.unsigned_abs()).then(a.name.cmp(&b.name)));
    v
}

impl Diff {
    /// The difference from `old` to `new`.
    pub fn new(old: &SizeReport, new: &SizeReport, by: By) -> Diff {
        let sec = |r: &SizeReport| r.sections.iter().map(|s| (s.name.clone(), s.size)).collect::<Vec<_>>();
        let grp = |r: &SizeReport| groups(r, by).iter().map(|g| (g.name.clone(), g.total)).collect::<Vec<_>>();
        Diff {
            old: old.file.clone(),
            new: new.file.clone(),
            by: by.name(),
            file_size: Delta::new(old.file_size, new.file_size),
            sections: pair_up(sec(old).into_iter(), sec(new).into_iter()),
            groups: pair_up(grp(old).into_iter(), grp(new).into_iter()),
        }
    }
}
