#!/usr/bin/env bash
# Builds a local git history for the history benchmark without touching the network:
# every crate source in the cargo registry cache becomes one commit that vendors it under
# vendor/<crate>/ (later versions of the same crate replace earlier ones, giving real diffs).
# usage: make_history_repo.sh [OUT]   (default /tmp/palisade-history-bench)
set -euo pipefail
out="${1:-/tmp/palisade-history-bench}"
src="$(ls -d "$HOME"/.cargo/registry/src/*/ | head -1)"
rm -rf "$out"; mkdir -p "$out"; cd "$out"
git init -q -b main
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.invalid GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.invalid
ls "$src" | grep -v '^windows' | sort -V | while read -r dir; do
  name="$(echo "$dir" | sed -E 's/-[0-9]+\.[0-9]+\.[0-9]+.*$//')"
  rm -rf "vendor/$name"; mkdir -p vendor
  cp -a "$src/$dir" "vendor/$name"
  find "vendor/$name" \( -name .git -o -size +1M \) -prune -exec rm -rf {} + 2>/dev/null || true
  git add -A
  git commit -q -m "vendor $dir" || true
done
git rev-list --count HEAD | xargs echo "commits:"
du -sh .git | xargs echo "git dir:"
