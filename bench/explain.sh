#!/usr/bin/env bash
# Edge anatomy on the largest real program: `heft cuts --top 100` reads what
# the importer of each of the 100 heaviest cuts uses (parsing with
# tree-sitter-go, in parallel), against the same without anatomy, and
# `--by cheap`, which reads every cuttable edge.
# Usage: bench/explain.sh [runs]   (after bench/deps.sh has downloaded the program)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}/github.com_prometheus_prometheus@v0.316.0
export GOWORK=off
[ -f "$dir/go.mod" ] || { echo "run bench/deps.sh first (it downloads the program)" >&2; exit 1; }
cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft
cd "$dir"
hyperfine -N --warmup 1 --runs "$runs" --export-json /tmp/heft-bench-explain.json \
  -n 'cuts --top 100 --no-anatomy' "$heft cuts --top 100 --no-anatomy ./cmd/prometheus" \
  -n 'cuts --top 100 (anatomy of 100 edges)' "$heft cuts --top 100 ./cmd/prometheus" \
  -n 'cuts --by cheap (anatomy of every cuttable edge)' "$heft cuts --by cheap ./cmd/prometheus" > /dev/null
python3 - /tmp/heft-bench-explain.json <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
print("| command | median [ms] | min [ms] | max [ms] |")
print("|:---|---:|---:|---:|")
for r in rs:
    print(f"| {r['command']} | {r['median']*1e3:.0f} | {r['min']*1e3:.0f} | {r['max']*1e3:.0f} |")
PY
