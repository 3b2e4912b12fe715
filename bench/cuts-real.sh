#!/usr/bin/env bash
# The full cut analysis end to end on Prometheus cmd/prometheus, side by side
# with goda's `cut` (one reachability cascade per package) in one run.
# Usage: GODA=/path/to/goda bench/cuts-real.sh [runs]
#   goda is not served by the module proxy reachable here; build it from its
#   source (github.com/loov/goda) with `go build -o /tmp/goda-bin .` and pass
#   the binary. Without GODA only heft is timed.
set -euo pipefail
runs=${1:-10}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}/github.com_prometheus_prometheus@v0.316.0
export GOWORK=off
[ -f "$dir/go.mod" ] || { echo "run bench/deps.sh first (it downloads the program)" >&2; exit 1; }
cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft
cd "$dir"
go list -deps ./cmd/prometheus > /dev/null
cmds=(-n 'heft cuts --top 0 --include-deps (as users run it: anatomy on; warm index)' "$heft cuts --top 0 --include-deps ./cmd/prometheus"
      -n 'the same, --no-anatomy (the graph only, what goda computes)' "$heft cuts --top 0 --include-deps --no-anatomy ./cmd/prometheus"
      -n 'the same, --no-anatomy, no index (every file read)' "env HEFT_CACHE_DIR=off $heft cuts --top 0 --include-deps --no-anatomy ./cmd/prometheus")
if [ -n "${GODA:-}" ]; then
  cmds+=(-n 'goda cut ./cmd/prometheus:all' "$GODA cut ./cmd/prometheus:all")
fi
hyperfine -N --warmup 2 --runs "$runs" --export-json /tmp/heft-bench-cuts.json "${cmds[@]}" > /dev/null
python3 - /tmp/heft-bench-cuts.json <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
slow = max(r["median"] for r in rs)
print("| command | median [ms] | min [ms] | max [ms] | slowest / this |")
print("|:---|---:|---:|---:|---:|")
for r in rs:
    print(f"| {r['command']} | {r['median']*1e3:.1f} | {r['min']*1e3:.1f} | {r['max']*1e3:.1f} | {slow / r['median']:.0f}x |")
PY
