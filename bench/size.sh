#!/usr/bin/env bash
# `heft size` vs go-size-analyzer (gsa) on a Go binary of >= 100 MB: one run
# each, wall time and peak memory (/usr/bin/time).
# Usage: GSA=/path/to/gsa bench/size.sh [BINARY]
#   Without BINARY: Prometheus cmd/prometheus v0.316.0, unstripped, built into
#   target/tmp/heft-size-bins (run bench/deps.sh first: it downloads the program).
#   gsa is not served by the module proxy reachable here; build it from its
#   source (see BENCHMARKS.md). Without GSA only heft is timed.
#   HEFT=/path/to/heft overrides the heft binary (default: a release build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-}
if [ -z "$bin" ]; then
  dir=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}/github.com_prometheus_prometheus@v0.316.0
  [ -f "$dir/go.mod" ] || { echo "run bench/deps.sh first (it downloads the program)" >&2; exit 1; }
  bin=$root/target/tmp/heft-size-bins/prometheus
  mkdir -p "$(dirname "$bin")"
  [ -f "$bin" ] || (cd "$dir" && GOWORK=off GOFLAGS=-mod=mod go build -o "$bin" ./cmd/prometheus)
fi
if [ -z "${HEFT:-}" ]; then
  cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
  HEFT=$root/target/release/heft
fi
echo "binary: $bin ($(stat -c %s "$bin") bytes)"
cat "$bin" > /dev/null # warm the page cache for both
out=$(mktemp -d)
run() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/$name.out" 2> "$out/$name.err" || {
    echo "$name failed:" >&2; cat "$out/$name.err" >&2; return 1; }
  read -r secs kb < "$out/time"
  printf '| %s | %s | %s |\n' "$name" "$secs" "$kb"
}
echo "| command | wall [s] | peak RSS [KB] |"
echo "|:---|---:|---:|"
run "heft size --json" "$HEFT" size --json "$bin"
run "heft size (table)" "$HEFT" size "$bin"
if [ -n "${GSA:-}" ]; then
  run "gsa -f json" "$GSA" -f json -o "$out/gsa.json" "$bin"
fi
echo "outputs in $out"
