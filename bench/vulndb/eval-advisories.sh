#!/usr/bin/env bash
# Import ../shared/corpus/advisories/osv with the shipped CLI (`palisade db import`), scan a tree
# pinning the packages of images/expected-advisory-matches.json (`palisade fs --scanners vuln`)
# and check every expected advisory is reported (exit 1 on a miss). See eval_advisories.py.
# Usage: bench/vulndb/eval-advisories.sh [CORPUS_DIR]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
exec python3 "$repo/bench/vulndb/eval_advisories.py" "${1:-$repo/../shared/corpus}"
