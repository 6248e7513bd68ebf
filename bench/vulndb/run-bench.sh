#!/usr/bin/env bash
# Import and match benchmarks (docs/benchmarks.md).
# Usage: bench/vulndb/run-bench.sh [RECORDS] [CORPUS_DIR]   (default 300000 records)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
records="${1:-300000}"
corpus="${2:-$repo/../shared/corpus}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --release -q -p palisade-vulndb --example bench
bin="$CARGO_TARGET_DIR/release/examples/bench"
"$bin" gen "$corpus/advisories/osv" "$work/all.zip" "$records"
/usr/bin/time -f "import wall %es, max RSS %M KB" "$bin" import "$work/db.sqlite" "$work/all.zip"
"$bin" match "$work/db.sqlite" 1000 20
