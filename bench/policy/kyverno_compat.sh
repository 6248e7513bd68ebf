#!/usr/bin/env bash
# Kyverno and ValidatingAdmissionPolicy compatibility: `palisade policy test` (the shipped CLI)
# over the `kyverno-test.yaml` files of the corpus (Kyverno's pod-security library, the Kyverno
# CLI's VAP tests) and of any further checkouts given as arguments — e.g. every top-level folder
# of a kyverno/policies checkout:
#   bench/policy/kyverno_compat.sh /path/to/kyverno-policies/*/
# For each: expectations met with a rule result ("strict"), met because no rule applied (the
# Kyverno CLI counts those as passes), failed, and not evaluated (mutate/generate rules).
# docs/policy-compat.md records the figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-../shared/corpus}
if [ -z "${PALISADE:-}" ]; then
  cargo build --release -q -p palisade
  PALISADE=target/release/palisade
fi
mkdir -p bench/out/policy
tally() {
  python3 -c '
import json, sys
c = {"strict": 0, "excluded": 0, "failed": 0, "not evaluated": 0}
fails = []
for line in open(sys.argv[1]):
    try:
        e = json.loads(line)
    except ValueError:
        continue
    if "expected" not in e:
        continue
    if e.get("unsupported"):
        c["not evaluated"] += 1
    elif not e["pass"]:
        c["failed"] += 1
        fails.append("  FAIL %s %s/%s %s: want %s, got %s" % (e["test"], e["policy"], e["rule"], e["resource"], e["expected"], e["actual"]))
    elif e["excluded"]:
        c["excluded"] += 1
    else:
        c["strict"] += 1
n = c["strict"] + c["excluded"] + c["failed"]
rate = 100.0 * (c["strict"] + c["excluded"]) / n if n else 0.0
print("   ", ", ".join("%s %d" % kv for kv in c.items()), "| pass rate %.1f %%" % rate)
print("\n".join(fails[:40]))
' "$1"
}
run() {
  echo "== $1"
  local rc=0
  "$PALISADE" policy test "$1" -f json > bench/out/policy/kyverno.jsonl || rc=$?
  [ "$rc" -le 2 ]
  grep '^ERROR' bench/out/policy/kyverno.jsonl || true
  tally bench/out/policy/kyverno.jsonl
}
run "$CORPUS/policy/kyverno-policies"
run "$CORPUS/policy/vap/kyverno"
for extra in "$@"; do
  run "$extra"
done
