#!/usr/bin/env bash
# The all-edges cut analysis on a synthetic import graph: 100,000 edges, 15,000 packages, 4 main packages,
# layered DAG with skewed out-degrees and popularity. Prints the median of several runs of the all-edges
# pass (removal count and two weight sums for every edge), the dominator tree alone, the literal
# split-graph construction for comparison, and one eviction plan.
# Usage: bench/cuts.sh [runs] [edges] [nodes] [seed]   (needs cargo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cargo run --release -q -p heft-graph --example cuts_bench --manifest-path "$root/Cargo.toml" -- "${1:-21}" "${2:-100000}" "${3:-15000}" "${4:-1}"
