#!/usr/bin/env bash
# Import ../shared/corpus/advisories/osv and check the packages of
# images/expected-advisory-matches.json get every expected advisory (exit 1 on a miss).
# Usage: bench/vulndb/eval-advisories.sh [CORPUS_DIR]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${1:-$repo/../shared/corpus}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cd "$repo"
cargo run --release -q -p palisade-vulndb --example eval_corpus -- "$corpus"
