//! What a package weighs: one (packages), its source bytes, or a measured
//! figure (init bytes, init allocations, retained heap, binary bytes).

use std::collections::HashMap;

use heft_gobin::SizeReport;
use heft_load::Program;
use heft_measure::{Measurement, WeightKind};
use serde::Serialize;

use crate::AnalyzeError;

/// What a cut is measured by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Weight {
    /// Packages removed.
    Packages,
    /// Bytes of Go source removed (GoFiles and CgoFiles).
    Source,
    /// Bytes allocated by package init (needs `heft measure`).
    InitBytes,
    /// Allocations by package init (needs `heft measure`).
    InitAllocs,
    /// Heap retained after init (needs `heft measure`).
    Heap,
    /// Bytes in the binary (needs `heft size`).
    Binary,
    /// Packages removed per identifier the importer uses: the cheapest cuts first.
    Cheap,
}

impl Weight {
    /// Every weight, in the order `--help` lists them.
    pub const ALL: [Weight; 7] = [
        Weight::Packages,
        Weight::Source,
        Weight::InitBytes,
        Weight::InitAllocs,
        Weight::Heap,
        Weight::Binary,
        Weight::Cheap,
    ];

    /// The name users type (`init-bytes`).
    pub fn name(self) -> &'static str {
        match self {
            Weight::Packages => "packages",
            Weight::Source => "source",
            Weight::InitBytes => "init-bytes",
            Weight::InitAllocs => "init-allocs",
            Weight::Heap => "heap",
            Weight::Binary => "binary",
            Weight::Cheap => "cheap",
        }
    }

    /// What it measures, in a line.
    pub fn help(self) -> &'static str {
        match self {
            Weight::Packages => "Packages removed",
            Weight::Source => "Bytes of Go source removed (GoFiles and CgoFiles)",
            Weight::InitBytes => "Bytes allocated by package init (needs `heft measure`)",
            Weight::InitAllocs => "Allocations by package init (needs `heft measure`)",
            Weight::Heap => "Heap retained after init (needs `heft measure`)",
            Weight::Binary => "Bytes in the binary, function-table share included (needs `heft size`)",
            Weight::Cheap => "Packages removed per identifier the importer uses: the cheapest cuts first",
        }
    }

    /// The kind of measurement this weight is read from, if any.
    fn measured(self) -> Option<WeightKind> {
        match self {
            Weight::InitBytes => Some(WeightKind::InitBytes),
            Weight::InitAllocs => Some(WeightKind::InitAllocs),
            Weight::Heap => Some(WeightKind::Heap),
            Weight::Packages | Weight::Source | Weight::Binary | Weight::Cheap => None,
        }
    }
}

/// The weight of every package (indexed by package id): one each, source
/// bytes, and the chosen one (the same as one of those, or measured).
pub struct Weights {
    /// One per package.
    pub packages: Vec<u64>,
    /// Source bytes per package.
    pub source: Vec<u64>,
    /// The ranking weight per package.
    pub chosen: Vec<u64>,
}

impl Weights {
    /// The weights by `by`: measured weights are read from `measurements`
    /// (saved `heft measure --json`), `--by binary` from `binary` (a size
    /// report of a binary built from the same roots).
    pub fn new(
        prog: &Program,
        by: Weight,
        measurements: Option<&Measurement>,
        binary: Option<&SizeReport>,
    ) -> Result<Weights, AnalyzeError> {
        let packages = vec![1; prog.packages.len()];
        let source: Vec<u64> = prog.packages.iter().map(|p| p.source_bytes).collect();
        let chosen = match (by, by.measured()) {
            (Weight::Packages | Weight::Cheap, _) => packages.clone(),
            (Weight::Source, _) => source.clone(),
            (_, Some(kind)) => {
                let Some(m) = measurements.filter(|m| !m.binaries.is_empty()) else {
                    return Err(AnalyzeError::NeedsMeasurements { by: by.name() });
                };
                let by_path = heft_measure::weights(m, kind);
                prog.packages.iter().map(|p| by_path.get(&p.path).copied().unwrap_or(0)).collect()
            }
            (Weight::Binary, _) => {
                let Some(report) = binary else { return Err(AnalyzeError::NeedsBinary) };
                // A package's bytes in the file: its code, data and its share
                // of the function table (`pclntab`, part of `total`), so the
                // weight is what removing the package saves.
                let bytes: HashMap<&str, u64> = report.packages.iter().map(|g| (g.name.as_str(), g.total)).collect();
                prog.packages.iter().map(|p| bytes.get(p.path.as_str()).copied().unwrap_or(0)).collect()
            }
            (_, None) => unreachable!("every weight has a source"),
        };
        Ok(Weights { packages, source, chosen })
    }

    /// Source-only weights (packages and source bytes).
    pub fn of(prog: &Program) -> Weights {
        let packages = vec![1; prog.packages.len()];
        let source = prog.packages.iter().map(|p| p.source_bytes).collect();
        Weights { chosen: packages.clone(), packages, source }
    }
}
