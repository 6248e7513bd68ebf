#!/usr/bin/env bash
# Precision/recall of the shipped CLI on gitleaks' labelled rule samples, four ways:
#   1. Palisade's built-in rules alone;
#   2. the built-in rules with published example keys reported too
#      (palisade.yaml `secrets.report_published_examples: true`);
#   3. the built-in rules with the allowlists of gitleaks' default config applied
#      (`secrets.gitleaks_allowlists`), as a team moving from gitleaks would run;
#   4. gitleaks' default config imported whole (its rules replace the built-in ones:
#      `secrets.gitleaks_config`), which measures the engine's gitleaks compatibility.
# Each runs `palisade fs TREE -f json --scanners secret` per gitleaks rule (bench/secrets/eval.py).
# Reads the corpus at run time; nothing from it is copied into the repository.
# usage: bench/secrets/eval.sh   (CORPUS=... to point elsewhere; VERBOSE=1 lists misclassified samples)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$repo/../shared/corpus}"
samples="$corpus/secrets/labeled/gitleaks-rule-samples.jsonl"
gitleaks_toml="$corpus/secrets/gitleaks__gitleaks/config/gitleaks.toml"
eval_py="$repo/bench/secrets/eval.py"
echo "## 1. Built-in rules"
python3 "$eval_py" "$samples"
echo
echo "## 2. Built-in rules, published example keys reported too"
python3 "$eval_py" "$samples" --report-published-examples --summary | grep '^| \*\*'
echo
echo "## 3. Built-in rules + gitleaks default allowlists"
python3 "$eval_py" "$samples" --gitleaks-allowlists "$gitleaks_toml" --summary | grep '^| \*\*'
echo
echo "## 4. gitleaks default config imported whole"
python3 "$eval_py" "$samples" --gitleaks-config "$gitleaks_toml" --summary | grep '^| \*\*'
