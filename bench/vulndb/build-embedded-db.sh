#!/usr/bin/env bash
# Rebuild crates/palisade-vulndb/data/osv-embedded.jsonl.gz from the redistributable OSV sets
# of the shared corpus (pypa, Go vulndb, RustSec, GHSA samples; see data/README.md).
# Usage: bench/vulndb/build-embedded-db.sh [CORPUS_DIR]   (default ../shared/corpus)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$repo/../shared/corpus}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cd "$repo"
cargo run --release -q -p palisade-vulndb --example build_embedded -- \
  "$corpus/advisories/osv" crates/palisade-vulndb/data/osv-embedded.jsonl.gz
ls -l crates/palisade-vulndb/data/osv-embedded.jsonl.gz
