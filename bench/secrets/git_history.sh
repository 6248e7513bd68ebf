#!/usr/bin/env bash
# Git-history secret scan benchmark of the shipped CLI (`palisade repo`) on a local repository
# (no network; bench/secrets/make_history_repo.sh builds a large one).
# usage: bench/secrets/git_history.sh [REPO]   (default: this repository; RUNS=5)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:-$repo}"
(cd "$repo" && cargo build -q --release -p palisade)
bin="${PALISADE:-${CARGO_TARGET_DIR:-$repo/target}/release/palisade}"
empty="$(mktemp --suffix=.yaml)"
trap 'rm -f "$empty"' EXIT
git -C "$target" rev-list --all | wc -l | xargs echo "commits reachable:"
cmd="$bin repo $target -f json -q -o /dev/null --config $empty"
if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs "${RUNS:-5}" -N -n palisade-history "$cmd"
else
  /usr/bin/time -f "palisade history %e s" $cmd
fi
"$bin" repo "$target" -f json -q --config "$empty" | python3 -c '
import collections, json, sys
r = json.load(sys.stdin)["results"][0]
f = r["findings"]
errors = len(r.get("errors", []))
print(f"findings: {len(f)}; errors: {errors}")
for rule, n in collections.Counter(x["rule_id"] for x in f).most_common():
    print(f"  {rule}: {n}")'
