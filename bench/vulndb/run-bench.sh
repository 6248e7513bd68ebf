#!/usr/bin/env bash
# Import and match benchmarks (docs/benchmarks.md).
#   gen:    the `bench` example replicates the corpus OSV records into one synthetic archive;
#   import: the shipped CLI, `palisade db import --db DB ARCHIVE` (wall time and peak RSS);
#   match:  the `bench` example's library micro-benchmark of `VulnDb::match_packages`.
# Usage: bench/vulndb/run-bench.sh [RECORDS] [CORPUS_DIR]   (default 300000 records)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
records="${1:-300000}"
corpus="${2:-$repo/../shared/corpus}"
target="${CARGO_TARGET_DIR:-$repo/target}"
work="$(mktemp -d "$repo/bench/out/vbench.XXXXXX" 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$repo"
cargo build --release -q -p palisade
cargo build --release -q -p palisade-vulndb --example bench
bin="$target/release/examples/bench"
pal="${PALISADE:-$target/release/palisade}"
"$bin" gen "$corpus/advisories/osv" "$work/all.zip" "$records"
/usr/bin/time -f "import wall %es, max RSS %M KB" "$pal" db import --db "$work/db.sqlite" "$work/all.zip" 2> >(grep -v '^warning: skipped' >&2)
ls -l "$work/db.sqlite" | awk '{printf "database size: %d MB\n", $5 / 1000000}'
"$bin" match "$work/db.sqlite" 1000 20
