#!/usr/bin/env bash
# heft deps vs go list -deps on the largest real program (prometheus
# cmd/prometheus, 1,518 packages), warm caches, side by side in one run,
# plus the floor: reading the import headers of the same files and nothing else.
# Usage: bench/deps.sh [runs]   (needs go, cargo, hyperfine; /usr/bin/time for memory)
set -euo pipefail
runs=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}
module=github.com/prometheus/prometheus version=v0.316.0
dir=$corpus/github.com_prometheus_prometheus@$version
export GOWORK=off   # the release archive's go.work names modules it does not ship

cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
cargo build --release -q -p heft-load --example header_floor --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft floor=$root/target/release/examples/header_floor

if [ ! -f "$dir/go.mod" ]; then
  mkdir -p "$corpus"
  src=$(cd "$corpus" && go mod download -json "$module@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  cp -R "$src" "$dir.tmp" && chmod -R u+w "$dir.tmp" && mv "$dir.tmp" "$dir"
fi
cd "$dir"
go list -deps ./cmd/prometheus > /dev/null   # downloads what is missing
go list -deps -f '{{$d := .Dir}}{{range .GoFiles}}{{$d}}/{{.}}
{{end}}{{range .CgoFiles}}{{$d}}/{{.}}
{{end}}{{range .IgnoredGoFiles}}{{$d}}/{{.}}
{{end}}' ./cmd/prometheus | grep . > /tmp/heft-bench-files.txt
echo "packages: $(go list -deps ./cmd/prometheus | wc -l), files: $(wc -l < /tmp/heft-bench-files.txt)"
cmp <(go list -deps ./cmd/prometheus | sort) <("$heft" deps ./cmd/prometheus | sort) && echo "same package set: yes"

# warm: heft's persistent index (module cache and GOROOT) and cached go env;
# cold: no index, every file read, go env run (HEFT_CACHE_DIR=off).
index=$(mktemp -d)
hyperfine -N --warmup 3 --runs "$runs" --export-json /tmp/heft-bench-deps.json \
  -n 'go list -deps' 'go list -deps ./cmd/prometheus' \
  -n 'heft deps (warm index)' "env HEFT_CACHE_DIR=$index $heft deps ./cmd/prometheus" \
  -n 'heft deps (no index)' "env HEFT_CACHE_DIR=off $heft deps ./cmd/prometheus" \
  -n 'floor (headers only)' "sh -c '$floor < /tmp/heft-bench-files.txt'"
rm -rf "$index"
# medians, relative to go list
python3 - /tmp/heft-bench-deps.json <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
base = rs[0]["median"]
print("| command | median [ms] | min [ms] | max [ms] | go list / this |")
print("|:---|---:|---:|---:|---:|")
for r in rs:
    print(f"| {r['command']} | {r['median']*1e3:.1f} | {r['min']*1e3:.1f} | {r['max']*1e3:.1f} | {base / r['median']:.1f}x |")
PY
for cmd in "go list -deps ./cmd/prometheus" "env HEFT_CACHE_DIR=off $heft deps ./cmd/prometheus" "$heft deps ./cmd/prometheus"; do
  /usr/bin/time -f "peak RSS %M KB: $cmd" $cmd > /dev/null
done
