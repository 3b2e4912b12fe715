#!/usr/bin/env bash
# `heft size` vs go-size-analyzer (gsa) on a Go binary of >= 150 MB, side by
# side in one hyperfine run: wall-clock medians (hyperfine -N, RUNS runs
# after a warm-up) and median peak RSS of 3 runs (/usr/bin/time -f %M).
#
# Usage: GSA=/path/to/gsa bench/size.sh [BINARY]
#    or: GSA_SRC=/path/to/go-size-analyzer-source bench/size.sh [BINARY]
#
#   BINARY defaults to Prometheus cmd/prometheus v0.316.0 built unstripped
#   with uncompressed DWARF (-ldflags=-compressdwarf=false: 205 MB; 147 MB
#   with the default compressed DWARF) into target/tmp/heft-size-bins (run
#   bench/deps.sh first: it downloads the program).
#
#   gsa is not served by the module proxy (github.com/Zxilly/go-size-analyzer
#   is fetched from GitHub: git clone https://github.com/Zxilly/go-size-analyzer).
#   Its current source needs a fork of gore (github.com/ZxillyFork/gore) at a
#   version the proxy does not serve (403); ecd600a (2025-02-10) is its last
#   commit whose dependencies all come from the proxy:
#     git -C go-size-analyzer archive ecd600a | tar -x -C /tmp/gsa-src
#     GSA_SRC=/tmp/gsa-src bench/size.sh
#   GSA_SRC is built here with `go build ./cmd/gsa` (no `embed` tag: the CLI
#   without the web UI's assets; GOEXPERIMENT=jsonv2, which newer versions
#   need). Without GSA or GSA_SRC only heft is timed.
#
#   HEFT=/path/to/heft overrides the heft binary (default: a release build
#   of this tree). RUNS (default 5) sets hyperfine's runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bins=$root/target/tmp/heft-size-bins
mkdir -p "$bins"
runs=${RUNS:-5}
for tool in hyperfine /usr/bin/time python3; do
  command -v "$tool" > /dev/null || { echo "needs $tool" >&2; exit 1; }
done

bin=${1:-}
if [ -z "$bin" ]; then
  dir=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}/github.com_prometheus_prometheus@v0.316.0
  [ -f "$dir/go.mod" ] || { echo "run bench/deps.sh first (it downloads the program)" >&2; exit 1; }
  bin=$bins/prometheus-dwarf
  [ -f "$bin" ] || (cd "$dir" && GOWORK=off GOFLAGS=-mod=mod go build -ldflags=-compressdwarf=false -o "$bin" ./cmd/prometheus)
fi
size=$(stat -c %s "$bin")
[ "$size" -ge 150000000 ] || echo "note: $bin is $size bytes, under 150 MB" >&2

if [ -z "${GSA:-}" ] && [ -n "${GSA_SRC:-}" ]; then
  GSA=$bins/gsa
  (cd "$GSA_SRC" && GOEXPERIMENT=jsonv2 GOWORK=off GOFLAGS=-mod=mod go build -o "$GSA" ./cmd/gsa)
fi
if [ -z "${HEFT:-}" ]; then
  cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
  HEFT=$root/target/release/heft
fi

echo "binary: $bin ($size bytes)"
echo "heft: $HEFT ($(git -C "$root" rev-parse --short HEAD))"
[ -z "${GSA:-}" ] || echo "gsa: $GSA"
cat "$bin" > /dev/null # warm the page cache for every command

names=("heft size --json" "heft size")
cmds=("$HEFT size --json $bin" "$HEFT size $bin")
if [ -n "${GSA:-}" ]; then
  names+=("gsa -f json" "gsa (text)" "gsa -f json --no-disasm --no-dwarf")
  cmds+=("$GSA -f json $bin" "$GSA $bin" "$GSA -f json --no-disasm --no-dwarf $bin")
fi
out=$(mktemp -d)
args=()
for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
hyperfine -N --warmup 1 --runs "$runs" --export-json "$out/hyperfine.json" "${args[@]}" > "$out/hyperfine.txt"

# Peak RSS: the median of 3 runs of each command.
for i in "${!cmds[@]}"; do
  for r in 1 2 3; do
    # shellcheck disable=SC2086 # the command is split into words on purpose
    /usr/bin/time -f %M -a -o "$out/rss.$i" ${cmds[$i]} > /dev/null 2> /dev/null || {
      echo "${names[$i]} failed" >&2; exit 1; }
  done
done

python3 - "$out" "${#cmds[@]}" <<'EOF'
import json, statistics, sys
out, n = sys.argv[1], int(sys.argv[2])
results = json.load(open(f"{out}/hyperfine.json"))["results"]
print("| command | median wall [s] | min–max [s] | median peak RSS [KB] |")
print("|:---|---:|---:|---:|")
for i, r in enumerate(results[:n]):
    rss = sorted(int(l) for l in open(f"{out}/rss.{i}").read().split())
    print(f"| `{r['command']}` | {statistics.median(r['times']):.3f} | {min(r['times']):.3f}–{max(r['times']):.3f} "
          f"| {statistics.median(rss):,} |")
EOF
echo "hyperfine output: $out/hyperfine.txt"
