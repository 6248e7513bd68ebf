#!/usr/bin/env bash
# Figures for docs/runtime.md: every Falco rules file of the shared corpus through
# `palisade runtime rules check`, Falco's k8saudit rules replayed over the documented audit
# events (alert counts per rule against the expected counts), and, with --bench, the
# evaluator's throughput (Criterion).
#
#   bench/runtime/eval.sh [--bench]        PALISADE=path/to/palisade to pick a binary
set -euo pipefail
cd "$(dirname "$0")/../.."
CORPUS=${FALCO_CORPUS:-../shared/corpus/falco/rules-current}
FIX=crates/palisade-runtime/tests/fixtures
if [[ -z "${PALISADE:-}" ]]; then
  cargo build -q -p palisade
  PALISADE=target/debug/palisade
fi
if [[ ! -d "$CORPUS" ]]; then
  echo "SKIPPED: $CORPUS is absent"; exit 0
fi
R=$CORPUS/falcosecurity__rules
P=$CORPUS/falcosecurity__plugins/plugins
K8S=$P/k8saudit/rules/k8s_audit_rules.yaml

echo "== rules check (files after a base are loaded after it, as Falco is configured) =="
check() {
  local label=$1; shift
  local out rc=0
  out=$("$PALISADE" runtime rules check --no-warnings "$@" 2>&1) || rc=$?
  printf '%-34s exit=%s  %s\n' "$label" "$rc" "$(tail -n1 <<<"$out")"
}
check falco_rules "$R/rules/falco_rules.yaml"
check +incubating "$R/rules/falco_rules.yaml" "$R/rules/falco-incubating_rules.yaml"
check +sandbox "$R/rules/falco_rules.yaml" "$R/rules/falco-sandbox_rules.yaml"
check +deprecated "$R/rules/falco_rules.yaml" "$R/archive/falco-deprecated_rules.yaml"
check +application "$R/rules/falco_rules.yaml" "$R/archive/application_rules.yaml"
check k8s_audit_rules "$K8S"
check k8s_audit+gke "$K8S" "$P/k8saudit-gke/rules/k8s_audit_rules_gke.yaml"
check aws_cloudtrail "$P/cloudtrail/rules/aws_cloudtrail_rules.yaml"
check gcp_auditlog "$P/gcpaudit/rules/gcp_auditlog_rules.yaml"
check github "$P/github/rules/github.yaml"
check okta "$P/okta/rules/okta_rules.yaml"
check krsi "$P/krsi/example_rules.yaml"

echo
echo "== k8s audit replay: Falco's k8s_audit_rules.yaml over $FIX/k8s/audit.jsonl =="
"$PALISADE" runtime replay --source k8saudit --rules "$K8S" "$FIX/k8s/audit.jsonl" 2>/dev/null \
  | python3 -c '
import json, sys, collections
got = collections.Counter(json.loads(l)["rule"] for l in sys.stdin)
want = json.load(open(sys.argv[1]))
rules = sorted(set(got) | set(want))
same = sum(1 for r in rules if got.get(r, 0) == want.get(r, 0))
for r in rules:
    mark = "ok  " if got.get(r, 0) == want.get(r, 0) else "DIFF"
    print(f"  {mark} {got.get(r,0):>3} / {want.get(r,0):>3}  {r}")
print(f"rules with equal counts: {same}/{len(rules)}; alerts {sum(got.values())} (expected {sum(want.values())})")
' "$FIX/k8s/expected_falco_k8s_audit_rules.json"

echo
echo "== Falco's former k8s audit regression suite (falcosecurity/falco test/, before b1ae5d3d) =="
PALISADE="$PALISADE" python3 bench/runtime/falco_k8s_regression.py | tail -n1

if [[ "${1:-}" == "--bench" ]]; then
  echo
  echo "== evaluator throughput (criterion, one thread) =="
  cargo bench -q -p palisade-runtime --bench eval -- --warm-up-time 1 --measurement-time 5 2>&1 \
    | grep -E 'rules x|thrpt' || true
fi
