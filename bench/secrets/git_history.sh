#!/usr/bin/env bash
# Git-history scan benchmark on a local repository (no network).
# usage: git_history.sh [REPO]   (default: /work/main)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:-$repo}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cargo build -q --release -p palisade-secrets --example secrets_eval
bin="$CARGO_TARGET_DIR/release/examples/secrets_eval"
git -C "$target" rev-list --all | wc -l | xargs echo "commits reachable:"
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "${RUNS:-5}" -n palisade-history "$bin repo $target > /dev/null 2>&1"
else
  /usr/bin/time -f "palisade history %e s" "$bin" repo "$target" > /dev/null
fi
"$bin" repo "$target" 2>&1 >/dev/null | tail -1
