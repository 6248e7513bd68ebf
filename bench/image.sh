#!/usr/bin/env bash
# Side-by-side image benchmark: Palisade vs Trivy on the corpus images, plus the floor
# (inflating the gzip layers alone). Medians over several runs with hyperfine; peak RSS with
# GNU time. Usage: bench/image.sh [CORPUS_IMAGES_DIR]  (default: build with
# ../shared/corpus/images/make-images.sh into bench/out/corpus-images).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
images=${1:-$here/bench/out/corpus-images}
peers=${PEERS:-$HOME/.cache/palisade-peers}
runs=${RUNS:-7}
out=$here/bench/out
mkdir -p "$out"
if [ ! -f "$images/debian-bookworm.docker-archive.tar" ]; then
  bash "$here/../shared/corpus/images/make-images.sh" "$images"
fi
command -v hyperfine >/dev/null || { apt-get update -qq; apt-get install -y -qq hyperfine time; }
[ -x "$peers/bin/trivy" ] || bash "$here/../shared/peers/install.sh" "$peers"
(cd "$here" && cargo build --release -q -p palisade)
pal=${PALISADE:-${CARGO_TARGET_DIR:-$here/target}/release/palisade}
trivy=$peers/bin/trivy
# An empty palisade.yaml: nothing in the working directory changes what is measured.
empty=$out/empty-palisade.yaml
: > "$empty"
# Trivy as a careful offline user runs it: no DB or check download, no on-disk cache.
topts="--offline-scan --skip-db-update --skip-check-update --cache-backend memory"
tar_in=$images/debian-bookworm.docker-archive.tar
oci_in=$images/debian-bookworm-oci
vtar_in=$images/debian-bookworm-vulnapps.docker-archive.tar
voci_in=$images/debian-bookworm-vulnapps-oci
export TRIVY_CACHE_DIR=$out/trivy-cache

# The floor for gzip layouts: inflate every layer blob, nothing else.
layers=$(python3 - "$oci_in" <<'PY'
import json,sys,os
d=sys.argv[1]
idx=json.load(open(os.path.join(d,"index.json")))
m=json.load(open(os.path.join(d,"blobs/sha256",idx["manifests"][0]["digest"].split(":")[1])))
print(" ".join(os.path.join(d,"blobs/sha256",l["digest"].split(":")[1]) for l in m["layers"]))
PY
)

hyperfine --warmup 1 --runs "$runs" --export-json "$out/image-bench.json" --export-markdown "$out/image-bench.md" \
  -n "palisade docker-archive" "$pal image --input $tar_in -f cyclonedx --config $empty -q -o /dev/null" \
  -n "trivy docker-archive" "$trivy image --input $tar_in --format cyclonedx $topts -q -o /dev/null" \
  -n "palisade oci-gzip" "$pal image --input $oci_in -f cyclonedx --config $empty -q -o /dev/null" \
  -n "trivy oci-gzip" "$trivy image --input $oci_in --format cyclonedx $topts -q -o /dev/null" \
  -n "inflate layers only (gzip -dc)" "cat $layers | gzip -dc > /dev/null" \
  -n "palisade vulnapps oci" "$pal image --input $voci_in -f cyclonedx --config $empty -q -o /dev/null" \
  -n "trivy vulnapps oci" "$trivy image --input $voci_in --format cyclonedx $topts -q -o /dev/null" \
  -n "palisade vulnapps oci, default scanners (vuln,secret)" "$pal image --input $voci_in -f json --config $empty -q -o /dev/null"

rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
{
  echo "| command | peak RSS (MiB) |"
  echo "|---|---|"
  for in in "$tar_in" "$oci_in"; do
    p=$(rss "$pal" image --input "$in" -f cyclonedx --config $empty -q -o /dev/null)
    t=$(rss "$trivy" image --input "$in" --format cyclonedx $topts -q -o /dev/null)
    echo "| palisade $(basename "$in") | $((p/1024)) |"
    echo "| trivy $(basename "$in") | $((t/1024)) |"
  done
} > "$out/image-rss.md"

# Same OS package set: name@version pairs from both CycloneDX documents.
"$pal" image --input "$tar_in" -f cyclonedx --config $empty -q -o "$out/pal.cdx.json"
"$trivy" image --input "$tar_in" --format cyclonedx $topts -q -o "$out/trivy.cdx.json"
python3 - "$out/pal.cdx.json" "$out/trivy.cdx.json" > "$out/image-packages.txt" <<'PY'
import json,sys
def debs(p):
    d=json.load(open(p))
    return {f'{c["name"]}@{c["version"]}' for c in d.get("components",[]) if c.get("purl","").startswith("pkg:deb/")}
a,b=debs(sys.argv[1]),debs(sys.argv[2])
print(f"palisade deb packages: {len(a)}; trivy: {len(b)}; common: {len(a&b)}")
print("only palisade:", sorted(a-b)); print("only trivy:", sorted(b-a))
PY
cat "$out/image-bench.md" "$out/image-rss.md" "$out/image-packages.txt"
