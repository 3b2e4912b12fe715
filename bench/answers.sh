#!/usr/bin/env bash
# The answers at monorepo scale, as users run them (defaults on, warm
# caches): the report, heft findings, heft cuts --by cheap and
# heft cuts --include-deps --top 0, on k9s (2,464 packages, its own main
# module) and Prometheus (1,518 packages in cmd/prometheus; ./... for the
# report). Time: hyperfine medians, side by side in one run; peak memory and
# output lines: one run each under /usr/bin/time.
# Usage: bench/answers.sh [runs]   (needs go, cargo, hyperfine, python3)
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}
export GOWORK=off

cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft

# module@version dir: the module's source as its own main module, its build list downloaded.
own() {
  local dir=$corpus/${1//\//_}@$2
  if [ ! -f "$dir/go.mod" ]; then
    mkdir -p "$corpus"
    local src
    src=$(cd "$corpus" && GOFLAGS=-mod=mod go mod download -json "$1@$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
    cp -R "$src" "$dir.tmp" && chmod -R u+w "$dir.tmp" && mv "$dir.tmp" "$dir"
  fi
  (cd "$dir" && GOFLAGS=-mod=mod go mod download && go list -deps ./... > /dev/null)
  echo "$dir"
}
k9s=$(own github.com/derailed/k9s v0.50.16)
prom=$(own github.com/prometheus/prometheus v0.316.0)

measure() { # label dir args...
  local label=$1 dir=$2; shift 2
  local lines
  lines=$(cd "$dir" && "$heft" "$@" 2>/dev/null | wc -l)
  local mem
  mem=$(cd "$dir" && /usr/bin/time -f %M "$heft" "$@" 2>&1 >/dev/null | tail -1)
  echo "$label: $lines lines, peak $mem KB"
}
measure "k9s report" "$k9s" .
measure "k9s findings" "$k9s" findings .
measure "k9s cuts --by cheap" "$k9s" cuts --by cheap .
measure "prometheus report ./..." "$prom" ./...
measure "prometheus findings" "$prom" findings ./cmd/prometheus
measure "prometheus cuts --by cheap" "$prom" cuts --by cheap ./cmd/prometheus
measure "prometheus cuts --include-deps --top 0" "$prom" cuts --include-deps --top 0 ./cmd/prometheus

hyperfine -N -w 1 -r "$runs" --export-json /tmp/heft-bench-answers.json \
  -n "k9s: heft ." "$heft -C $k9s ." \
  -n "k9s: heft findings ." "$heft findings -C $k9s ." \
  -n "k9s: heft cuts --by cheap ." "$heft cuts -C $k9s --by cheap ." \
  -n "prometheus: heft ./..." "$heft -C $prom ./..." \
  -n "prometheus: heft findings ./cmd/prometheus" "$heft findings -C $prom ./cmd/prometheus" \
  -n "prometheus: heft cuts --by cheap ./cmd/prometheus" "$heft cuts -C $prom --by cheap ./cmd/prometheus" \
  -n "prometheus: heft cuts --include-deps --top 0 ./cmd/prometheus" "$heft cuts -C $prom --include-deps --top 0 ./cmd/prometheus"
python3 - /tmp/heft-bench-answers.json <<'PY'
import json, sys
print("| command | median [ms] | min [ms] | max [ms] |")
print("|:---|---:|---:|---:|")
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"| {r['command']} | {r['median']*1e3:.1f} | {r['min']*1e3:.1f} | {r['max']*1e3:.1f} |")
PY
