#!/usr/bin/env bash
# Side-by-side timing of the shipped CLI (`palisade config`), Trivy and Checkov on the
# Kubernetes corpus, in one hyperfine run, plus peak RSS. Reads the corpus at run time only.
# Usage: bench/kube/bench.sh [CORPUS_DIR] [RUNS]   (OUT=FILE writes the markdown table there)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CORPUS="${1:-$ROOT/../shared/corpus/k8s/general}"
RUNS="${2:-5}"
PEERS="${PEERS:-$HOME/.cache/palisade-peers/bin}"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine time; }
(cd "$ROOT" && cargo build --release -q -p palisade)
BIN="${PALISADE:-${CARGO_TARGET_DIR:-$ROOT/target}/release/palisade}"
EMPTY="$(mktemp --suffix=.yaml)"
trap 'rm -f "$EMPTY"' EXIT
"$BIN" config "$CORPUS" -f json -q --config "$EMPTY" | python3 -c '
import json, sys
r = json.load(sys.stdin)["results"][0]
files = {f["location"]["path"] for f in r["findings"]}
findings, errors = len(r["findings"]), len(r.get("errors", []))
print(f"palisade: {findings} findings in {len(files)} files, {errors} errors")'
PAL="$BIN config $CORPUS -f json -q -o /dev/null --config $EMPTY"
TRIVY="$PEERS/trivy config --skip-check-update --cache-backend memory -q -f json -o /dev/null $CORPUS"
CHECKOV="$PEERS/checkov -d $CORPUS --framework kubernetes -o json --quiet --skip-download"
# -i: Checkov exits 1 when it has findings.
mkdir -p "$ROOT/bench/out"
hyperfine -N -i -w 1 -r "$RUNS" --export-markdown "${OUT:-/dev/stdout}" --export-json "$ROOT/bench/out/kube-bench.json" \
  -n palisade "$PAL" -n "trivy config" "$TRIVY" -n checkov "$CHECKOV"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS: palisade $(($(rss $PAL) / 1024)) MiB, trivy $(($(rss $TRIVY) / 1024)) MiB, checkov $(($(rss $CHECKOV) / 1024)) MiB"
