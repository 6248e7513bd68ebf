#!/usr/bin/env bash
# Side-by-side throughput: Palisade's secret scanner vs. Trivy's, on the same tree.
# usage: throughput.sh DIR   (default: the debootstrap rootfs used in docs/benchmarks.md)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${1:-/tmp/palisade-corpus-work/rootfs-bookworm}"
trivy="${TRIVY:-/root/.cache/palisade-peers/bin/trivy}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cargo build -q --release -p palisade-secrets --example secrets_eval
bin="$CARGO_TARGET_DIR/release/examples/secrets_eval"
cache="$(mktemp -d)"
trap 'rm -rf "$cache"' EXIT
# Warm the page cache so both tools read from memory.
find "$dir" -type f -size -10M -print0 2>/dev/null | xargs -0 cat > /dev/null 2>&1 || true
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "${RUNS:-5}" \
    -n palisade "$bin scan $dir > /dev/null 2>&1" \
    -n trivy "$trivy fs --cache-dir $cache --scanners secret --offline-scan --skip-db-update --quiet --format json $dir > /dev/null 2>&1"
else
  for i in 1 2 3; do
    /usr/bin/time -f "palisade %e s" "$bin" scan "$dir" > /dev/null
    /usr/bin/time -f "trivy %e s" "$trivy" fs --cache-dir "$cache" --scanners secret --offline-scan --skip-db-update --quiet --format json "$dir" > /dev/null
  done
fi
