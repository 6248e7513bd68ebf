#!/usr/bin/env bash
# Gatekeeper library templates of the corpus with their sample constraints, and the 22 Kyverno
# Pod Security policies of the corpus, evaluated against the 365 objects of
# ../shared/corpus/k8s/general by the shipped CLI: `palisade config` with and without
# `--policy`, side by side (hyperfine medians). The difference is the policy work: loading and
# compiling the policies, binding the inventory and reviewing every object.
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${CORPUS:-../shared/corpus}
if [ -z "${PALISADE:-}" ]; then
  cargo build --release -q -p palisade
  PALISADE=target/release/palisade
fi
command -v hyperfine >/dev/null || apt-get install -y hyperfine >/dev/null
OUT=bench/out/policy
mkdir -p "$OUT"
: > "$OUT/empty.yaml"
LIB="$CORPUS/policy/gatekeeper-library/library"
KYV="$CORPUS/policy/kyverno-policies/pod-security"
OBJS="$CORPUS/k8s/general"
BASE="$PALISADE config $OBJS --config $OUT/empty.yaml -q -f json -o /dev/null"
echo "objects: $(find "$OBJS" -name '*.y*ml' | wc -l) files"
"$PALISADE" config "$OBJS" --config "$OUT/empty.yaml" -q -f json -o "$OUT/with-policy.json" --policy "$LIB"
python3 - "$OUT/with-policy.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
fs = [f for t in r["results"] for f in t["findings"] if "policy" in f.get("extra", {})]
print(f"policy findings: {len(fs)} from {len({f['rule_id'] for f in fs})} constraints")
PY
hyperfine --warmup 2 --runs "${RUNS:-15}" --export-json "$OUT/speed.json" \
  -n builtin "$BASE" \
  -n builtin+gatekeeper "$BASE --policy $LIB" \
  -n builtin+kyverno "$BASE --policy $KYV" \
  -n "policy test (library suites)" "$PALISADE policy test $LIB || true" \
  -n "policy test (kyverno pod-security tests)" "$PALISADE policy test $KYV || true"
python3 - "$OUT/speed.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b, g = r["builtin"]["median"], r["builtin+gatekeeper"]["median"]
k = r["builtin+kyverno"]["median"]
print(f"median builtin {b*1000:.0f} ms, builtin+gatekeeper {g*1000:.0f} ms, policy work {1000*(g-b):.0f} ms")
print(f"median builtin+kyverno {k*1000:.0f} ms, policy work {1000*(k-b):.0f} ms")
PY
