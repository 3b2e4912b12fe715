#!/usr/bin/env bash
# heft heap on a real server's profile: Prometheus v0.316.0 (cmd/prometheus,
# 1,518 packages) built, started on an empty TSDB, its heap profile taken
# from /debug/pprof/heap after it has scraped itself for a while. Side by
# side in one hyperfine run: `go tool pprof -top` (the alternative: by
# function, no packages), `heft heap PROFILE` and `heft heap PROFILE
# ./cmd/prometheus` (with the chains and cuts, which loads the program).
# Usage: bench/heap.sh [runs] [seconds to run prometheus]
set -euo pipefail
runs=${1:-5}
secs=${2:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${HEFT_CORPUS_DIR:-$root/target/tmp/heft-corpus}
export GOWORK=off

cargo build --release -q -p heft --manifest-path "$root/Cargo.toml"
heft=$root/target/release/heft

dir=$corpus/github.com_prometheus_prometheus@v0.316.0
if [ ! -f "$dir/go.mod" ]; then
  mkdir -p "$corpus"
  src=$(cd "$corpus" && GOFLAGS=-mod=mod go mod download -json github.com/prometheus/prometheus@v0.316.0 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp -R "$src" "$dir.tmp" && chmod -R u+w "$dir.tmp" && mv "$dir.tmp" "$dir"
fi
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$dir" && GOFLAGS=-mod=mod go build -o "$work/prometheus" ./cmd/prometheus)
cat > "$work/prometheus.yml" <<'YML'
global: { scrape_interval: 1s }
scrape_configs: [ { job_name: self, static_configs: [ { targets: ["127.0.0.1:19090"] } ] } ]
YML
"$work/prometheus" --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address=127.0.0.1:19090 > "$work/log" 2>&1 &
pid=$!
sleep "$secs"
curl -sf -o "$work/heap.pb.gz" http://127.0.0.1:19090/debug/pprof/heap
kill $pid
prof=$work/heap.pb.gz
ls -l "$prof"

cd "$dir"
hyperfine -N -w 1 -r "$runs" --export-json "$work/times.json" \
  "go tool pprof -top $prof" \
  "$heft heap $prof" \
  "$heft heap $prof ./cmd/prometheus"
python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("median %8.1f ms  %s" % (r["median"] * 1000, r["command"]))' "$work/times.json"
for args in "heap $prof" "heap $prof ./cmd/prometheus"; do
  lines=$("$heft" $args 2>/dev/null | wc -l)
  mem=$(/usr/bin/time -f %M "$heft" $args 2>&1 >/dev/null | tail -1)
  echo "heft $args: $lines lines, peak $mem KB"
done
