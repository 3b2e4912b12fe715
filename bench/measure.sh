#!/usr/bin/env bash
# heft measure vs a plain `go build` of the same package (examples/busybox ./cmd/agent).
# Warm: both with the normal, already-filled build cache (hyperfine, median).
# Cold: once each with a fresh, empty GOCACHE; the probe's overlay changes package
# runtime, so heft measure's first build recompiles std once (later builds hit the cache).
# Usage: bench/measure.sh [runs] [package]   (needs go, cargo, hyperfine)
set -euo pipefail
runs=${1:-10}
pkg=${2:-./cmd/agent}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft
cd "$root/examples/busybox"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

go build -o "$out/plain" "$pkg"
"$heft" measure "$pkg" > /dev/null   # fills the cache for the overlay build
# go build skips the link when the output file is already up to date: remove it
# before each run so the plain build links like heft's (which builds into a fresh dir).
hyperfine -N -w 2 -r "$runs" --export-json "$out/warm.json" \
  -n "go build -o fresh $pkg" --prepare "rm -f $out/fresh" "go build -o $out/fresh $pkg" \
  -n "GODEBUG=inittrace=1 ./plain (run only)" --prepare "true" "env GODEBUG=inittrace=1 $out/plain" \
  -n "heft measure $pkg" --prepare "true" "$heft measure $pkg" \
  -n "heft measure --runs 5 $pkg" --prepare "true" "$heft measure --runs 5 $pkg" > /dev/null
python3 - "$out/warm.json" <<'PY'
import json, statistics, sys
res = json.load(open(sys.argv[1]))["results"]
base = statistics.median(res[0]["times"])
print("| command | median [ms] | min [ms] | max [ms] | / plain go build |")
print("|:---|---:|---:|---:|---:|")
for r in res:
    t = r["times"]
    m = statistics.median(t)
    print(f"| `{r['command']}` | {m*1e3:.1f} | {min(t)*1e3:.1f} | {max(t)*1e3:.1f} | {m/base:.2f}x |")
PY

echo
echo "first measurement (fresh GOCACHE: a plain build fills it, then heft measure builds the overlay"
echo "for the first time, which recompiles std because package runtime differs, then once more):"
export GOCACHE="$out/cache"
for cmd in "go build -o $out/plain3 $pkg" "$heft measure $pkg" "$heft measure $pkg"; do
  start=$(date +%s.%N)
  $cmd > /dev/null
  end=$(date +%s.%N)
  printf '  %-50s %6.1f s\n' "${cmd/$root\//}" "$(echo "$end - $start" | bc)"
done
