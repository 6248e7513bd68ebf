#!/usr/bin/env bash
# Side-by-side secret-scan throughput of the shipped CLI and Trivy on one root filesystem,
# in one hyperfine run (medians in bench/out/secrets-throughput.json), plus peak RSS and a
# check that both report the same number of findings.
# usage: bench/secrets/throughput.sh [DIR]   (RUNS=10 by default)
# Without DIR: the corpus base image's root filesystem, unpacked from the single layer of
# bench/out/corpus-images/debian-bookworm-oci (built by ../shared/corpus/images/make-images.sh)
# into bench/out/rootfs-bookworm.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
out="$repo/bench/out"
runs="${RUNS:-10}"
trivy="${TRIVY:-$HOME/.cache/palisade-peers/bin/trivy}"
mkdir -p "$out"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine time; }
dir="${1:-}"
if [ -z "$dir" ]; then
  dir="$out/rootfs-bookworm"
  if [ ! -d "$dir" ]; then
    images="$out/corpus-images"
    [ -d "$images/debian-bookworm-oci" ] || bash "$repo/../shared/corpus/images/make-images.sh" "$images"
    layer=$(python3 - "$images/debian-bookworm-oci" <<'PY'
import json, os, sys
d = sys.argv[1]
idx = json.load(open(os.path.join(d, "index.json")))
m = json.load(open(os.path.join(d, "blobs/sha256", idx["manifests"][0]["digest"].split(":")[1])))
(layer,) = m["layers"]
print(os.path.join(d, "blobs/sha256", layer["digest"].split(":")[1]))
PY
)
    mkdir -p "$dir.tmp"
    tar -xzf "$layer" -C "$dir.tmp" --no-same-owner
    mv "$dir.tmp" "$dir"
  fi
fi
(cd "$repo" && cargo build -q --release -p palisade)
pal="${PALISADE:-${CARGO_TARGET_DIR:-$repo/target}/release/palisade}"
empty="$(mktemp --suffix=.yaml)"
trap 'rm -f "$empty"' EXIT

pal_cmd="$pal rootfs $dir --scanners secret -f json -q -o /dev/null --config $empty"
trivy_cmd="$trivy rootfs --scanners secret --offline-scan --skip-db-update --skip-check-update --cache-backend memory -q -f json -o /dev/null $dir"
echo "tree: $dir ($(du -sh "$dir" | cut -f1), $(find "$dir" -type f | wc -l) files)"
# Warm the page cache so both tools read from memory.
find "$dir" -type f -size -10M -print0 2>/dev/null | xargs -0 cat > /dev/null 2>&1 || true

"$pal" rootfs "$dir" --scanners secret -f json -q --config "$empty" -o "$out/secrets-palisade.json"
"$trivy" rootfs --scanners secret --offline-scan --skip-db-update --skip-check-update --cache-backend memory \
  -q -f json -o "$out/secrets-trivy.json" "$dir"
python3 - "$out/secrets-palisade.json" "$out/secrets-trivy.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
t = json.load(open(sys.argv[2]))
pf = [f for r in p["results"] for f in r["findings"]]
tf = [s for r in t.get("Results") or [] for s in r.get("Secrets") or []]
print(f"findings: palisade {len(pf)}, trivy {len(tf)}")
PY

hyperfine --warmup 2 --runs "$runs" -N --export-json "$out/secrets-throughput.json" \
  --export-markdown "$out/secrets-throughput.md" \
  -n palisade "$pal_cmd" -n trivy "$trivy_cmd"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS: palisade $(($(rss $pal_cmd) / 1024)) MiB, trivy $(($(rss $trivy_cmd) / 1024)) MiB"
python3 - "$out/secrets-throughput.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
p, t = r["palisade"]["median"], r["trivy"]["median"]
print(f"median: palisade {p * 1000:.0f} ms, trivy {t * 1000:.0f} ms, ratio {t / p:.2f}x")
PY
