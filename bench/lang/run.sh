#!/usr/bin/env bash
# Palisade's language inventory (the shipped CLI: `palisade fs DIR -f cyclonedx`) vs Trivy's,
# on the committed fixtures and (when present) on the unpacked corpus image rootfs. Writes
# markdown reports to bench/out/lang/.
# usage: bench/lang/run.sh [EXTRA_DIR...]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TRIVY="${TRIVY:-$HOME/.cache/palisade-peers/bin/trivy}"
# Under bench/out/, which git ignores: these are run outputs, not sources.
OUT="$ROOT/bench/out/lang"
mkdir -p "$OUT"
(cd "$ROOT" && cargo build -q --release -p palisade)
BIN="${PALISADE:-${CARGO_TARGET_DIR:-$ROOT/target}/release/palisade}"
# An empty palisade.yaml: no configuration from the working directory changes the inventory.
EMPTY="$(mktemp --suffix=.yaml)"
trap 'rm -f "$EMPTY"' EXIT
dirs=("$ROOT/crates/palisade-inventory/fixtures/lang" "$@")
if [ -d /tmp/palisade-corpus-work/bundle2/rootfs ]; then dirs+=(/tmp/palisade-corpus-work/bundle2/rootfs); fi
for d in "${dirs[@]}"; do
  name="$(basename "$(dirname "$d")")-$(basename "$d")"
  start=$(date +%s.%N)
  # An SBOM format runs the inventory only; warnings (detector errors) go to stderr.
  "$BIN" fs "$d" -f cyclonedx --config "$EMPTY" -o "$OUT/$name.palisade.cdx.json" 2> "$OUT/$name.palisade.cdx.json.warnings"
  end=$(date +%s.%N)
  # `--scanners license` lists packages without needing the vulnerability database.
  "$TRIVY" fs --format json --list-all-pkgs --include-dev-deps --offline-scan --skip-db-update \
    --skip-check-update --cache-backend memory --scanners license --quiet "$d" > "$OUT/$name.trivy-fs.json"
  "$TRIVY" rootfs --format json --list-all-pkgs --offline-scan --skip-db-update \
    --skip-check-update --cache-backend memory --scanners license --quiet "$d" > "$OUT/$name.trivy-rootfs.json"
  # The CycloneDX SBOM of the same fs scan, kept for reference.
  "$TRIVY" fs --format cyclonedx --offline-scan --skip-db-update --skip-check-update --cache-backend memory \
    --quiet "$d" > "$OUT/$name.trivy-fs.cdx.json"
  {
    echo "## $d"
    echo
    echo "Palisade (\`palisade fs DIR -f cyclonedx\`): $(echo "$end - $start" | bc) s"
    echo
    SUMMARY="$OUT/$name.summary.json" python3 "$ROOT/bench/lang/compare.py" "$OUT/$name.palisade.cdx.json" "$OUT/$name.trivy-fs.json" "$OUT/$name.trivy-rootfs.json"
  } > "$OUT/$name.md"
  echo "wrote $OUT/$name.md"
done
# Totals over the trees of this run.
python3 - "$OUT" "${dirs[@]}" <<'PY'
import json, os, sys
out, dirs = sys.argv[1], sys.argv[2:]
keys = ["palisade", "trivy", "agree", "union", "versioned", "versioned_agree", "comparable", "comparable_agree", "errors"]
tot = dict.fromkeys(keys, 0)
print("| tree | Palisade | Trivy | all pairs | package@version pairs | comparable pairs |")
print("| --- | --- | --- | --- | --- | --- |")
pct = lambda a, b: f"{a}/{b} = {100.0 * a / max(b, 1):.1f}%"
for d in dirs:
    name = os.path.basename(os.path.dirname(d)) + "-" + os.path.basename(d)
    s = json.load(open(f"{out}/{name}.summary.json"))
    for k in keys: tot[k] += s[k]
    print(f"| `{d}` | {s['palisade']} | {s['trivy']} | {pct(s['agree'], s['union'])} | {pct(s['versioned_agree'], s['versioned'])} | {pct(s['comparable_agree'], s['comparable'])} |")
t = tot
print(f"| **total** | {t['palisade']} | {t['trivy']} | {pct(t['agree'], t['union'])} | {pct(t['versioned_agree'], t['versioned'])} | **{pct(t['comparable_agree'], t['comparable'])}** |")
PY
