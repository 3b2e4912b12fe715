#![no_main]
//! heft measure's aggregation over runs: any numbers (up to u64::MAX), any
//! packages missing or repeated between runs — never a panic, and every
//! median lies between the smallest and largest value the runs gave (a
//! package missing from a run counts as 0 there).

use heft_measure::{BinaryMeasure, Measurement, PackageMeasure, WeightKind, median, weights};
use libfuzzer_sys::fuzz_target;

/// Reads numbers from the input, 0 when it runs out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (b, rest) = self.0.split_first().map_or((0, &[][..]), |(b, r)| (*b, r));
        self.0 = rest;
        b
    }
    fn number(&mut self) -> u64 {
        match self.byte() % 4 {
            0 => u64::from(self.byte()),
            1 => u64::MAX - u64::from(self.byte()),
            _ => (0..8).fold(0u64, |a, _| a << 8 | u64::from(self.byte())),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let runs: Vec<BinaryMeasure> = (0..1 + b.byte() % 5)
        .map(|_| BinaryMeasure {
            package: "example.com/m".into(),
            mode: "probe".into(),
            runs: 1,
            init_bytes: b.number(),
            init_allocs: b.number(),
            packages: (0..b.byte() % 6)
                .map(|_| PackageMeasure {
                    path: format!("p{}", b.byte() % 4),
                    init_bytes: b.number(),
                    init_allocs: b.number(),
                    retained_bytes: b.number(),
                    init_traced: true,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let m = median(&runs).expect("at least one run");
    for p in &m.packages {
        let values: Vec<u64> = runs
            .iter()
            .map(|r| r.packages.iter().filter(|q| q.path == p.path).map(|q| q.init_bytes).max().unwrap_or(0))
            .collect();
        let all: Vec<u64> = runs
            .iter()
            .flat_map(|r| r.packages.iter().filter(|q| q.path == p.path).map(|q| q.init_bytes))
            .chain(values.iter().copied().filter(|&v| v == 0))
            .collect();
        let (lo, hi) = (all.iter().min().copied().unwrap_or(0), all.iter().max().copied().unwrap_or(0));
        assert!(lo <= p.init_bytes && p.init_bytes <= hi, "{}: median {} outside {lo}..={hi}", p.path, p.init_bytes);
    }
    let doc = Measurement { heft_measure: heft_measure::JSON_VERSION, go_version: String::new(), binaries: runs };
    let _ = weights(&doc, WeightKind::InitBytes);
});
