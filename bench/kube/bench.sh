#!/usr/bin/env bash
# Side-by-side timing of palisade-kube (example binary until the CLI wires it in), Trivy and
# Checkov on the Kubernetes corpus, in one hyperfine run. Reads the corpus at run time only.
# Usage: bench/kube/bench.sh [CORPUS_DIR] [RUNS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CORPUS="${1:-$ROOT/../shared/corpus/k8s/general}"
RUNS="${2:-5}"
PEERS="${PEERS:-/root/.cache/palisade-peers/bin}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --release -q -p palisade-kube --example kube_scan
BIN="$CARGO_TARGET_DIR/release/examples/kube_scan"
"$BIN" --summary "$CORPUS"
hyperfine -N -i -w 1 -r "$RUNS" --export-markdown "${OUT:-/dev/stdout}" \
  -n palisade-kube "$BIN --summary $CORPUS" \
  -n "trivy config" "$PEERS/trivy config --skip-check-update -q -f json -o /dev/null $CORPUS" \
  -n checkov "$PEERS/checkov -d $CORPUS --framework kubernetes -o json --quiet --skip-download"
