#!/usr/bin/env bash
# The biggest real tree at hand, side by side: the shipped CLI and Trivy on a directory tree
# (default /usr of this machine: Python and Node libraries, the Google Cloud SDK, JDK jars,
# Go binaries). For each job — the secret scan, the CycloneDX SBOM, and Palisade's default
# scanners (vuln,secret; Trivy needs its online vulnerability DB for that, so it has no row) —
# prints wall time, CPU time and peak RSS (bench/interleave.py: commands in turn, medians),
# then the findings and components each tool reports (one extra run each, JSON kept in
# bench/out/bigtree/). Peers run as a careful user runs them: offline, in-memory cache, no
# update checks.
# usage: bench/bigtree/usr.sh [DIR]   (RUNS=3 by default; TRIVY=path to override the peer)
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-/usr}"
runs="${RUNS:-3}"
out="$repo/bench/out/bigtree"
trivy="${TRIVY:-$HOME/.cache/palisade-peers/bin/trivy}"
mkdir -p "$out"
(cd "$repo" && cargo build -q --release -p palisade) || exit 2
pal="${PALISADE:-${CARGO_TARGET_DIR:-$repo/target}/release/palisade}"
empty="$(mktemp --suffix=.yaml)"
trap 'rm -f "$empty"' EXIT
tflags="--offline-scan --skip-db-update --skip-java-db-update --skip-check-update --cache-backend memory -q"

echo "tree: $dir ($(du -sh "$dir" 2>/dev/null | cut -f1), $(find "$dir" -type f 2>/dev/null | wc -l) files)"
echo "palisade: $("$pal" version | head -1); trivy: $("$trivy" --version 2>/dev/null | head -1)"
echo
python3 "$repo/bench/interleave.py" --runs "$runs" --warmup 1 \
  "palisade secret=$pal rootfs $dir --scanners secret -f json -q --config $empty -o /dev/null" \
  "trivy secret=$trivy rootfs --scanners secret $tflags -f json -o /dev/null $dir" \
  "palisade cyclonedx=$pal rootfs $dir -f cyclonedx -q --config $empty -o /dev/null" \
  "trivy cyclonedx=$trivy rootfs $tflags -f cyclonedx -o /dev/null $dir" \
  "palisade default (vuln,secret)=$pal rootfs $dir -f json -q --config $empty -o /dev/null"

"$pal" rootfs "$dir" --scanners secret -f json -q --config "$empty" -o "$out/secret-palisade.json"
"$trivy" rootfs --scanners secret $tflags -f json -o "$out/secret-trivy.json" "$dir"
"$pal" rootfs "$dir" -f cyclonedx -q --config "$empty" -o "$out/sbom-palisade.cdx.json"
"$trivy" rootfs $tflags -f cyclonedx -o "$out/sbom-trivy.cdx.json" "$dir" 2>"$out/sbom-trivy.stderr" \
  || echo "trivy cyclonedx failed: $(tail -1 "$out/sbom-trivy.stderr")"
python3 - "$out" <<'PY'
import collections, json, os, sys
out = sys.argv[1]
def load(name):
    try:
        return json.load(open(os.path.join(out, name)))
    except (OSError, ValueError):
        return None
p, t = load("secret-palisade.json"), load("secret-trivy.json")
pf = [f for r in (p or {}).get("results", []) for f in r.get("findings", [])]
tf = [s for r in (t or {}).get("Results", []) or [] for s in r.get("Secrets", []) or []]
print()
print("| job | Palisade | Trivy |")
print("|---|---|---|")
print(f"| secret findings | {len(pf)} ({dict(collections.Counter(f['rule_id'] for f in pf))}) "
      f"| {len(tf)} ({dict(collections.Counter(s['RuleID'] for s in tf))}) |")
ps, ts = load("sbom-palisade.cdx.json"), load("sbom-trivy.cdx.json")
count = lambda b: len(b.get("components", [])) if b else "none (failed)"
print(f"| CycloneDX components | {count(ps)} | {count(ts)} |")
PY
