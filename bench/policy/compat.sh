#!/usr/bin/env bash
# Gatekeeper library compatibility: `palisade policy test` (the shipped CLI) over the corpus
# library, gatekeeper's own gator suite, and any further library checkouts given as arguments
# (e.g. the upstream gatekeeper-library's `library/`, whose suites the corpus leaves out).
# Prints each run's closing line and every failing assertion; docs/policy-compat.md records them.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-../shared/corpus}
if [ -z "${PALISADE:-}" ]; then
  cargo build --release -q -p palisade
  PALISADE=target/release/palisade
fi
run() {
  echo "== $*"
  # Exit 1 (an assertion failed) and 2 (a template does not compile) are what is counted.
  local rc=0
  "$PALISADE" policy test "$@" > bench/out/policy/last.txt || rc=$?
  [ "$rc" -le 2 ]
  grep -E '^(FAIL|ERROR)|^      case' bench/out/policy/last.txt | cut -c1-400 || true
  tail -1 bench/out/policy/last.txt
}
mkdir -p bench/out/policy
run "$CORPUS/policy/gatekeeper-library/library"
# The 16 templates that carry K8sNativeValidation run their CEL instead of their Rego.
run "$CORPUS/policy/gatekeeper-library/library" --engine cel
run "$CORPUS/policy/gatekeeper-library/_gatekeeper-repo/test/gator/verify"
for extra in "$@"; do
  run "$extra"
  run "$extra" --engine cel
done
