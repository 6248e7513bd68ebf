#!/usr/bin/env bash
# Precision/recall on gitleaks' labelled rule samples, three ways:
#   1. Palisade's built-in rules alone;
#   2. the built-in rules with the allowlists of gitleaks' default config applied
#      (palisade.yaml `secrets.gitleaks_allowlists`), as a team moving from gitleaks would run;
#   3. gitleaks' default config imported whole (its rules replace the built-in ones:
#      `secrets.gitleaks_config`), which measures the engine's gitleaks compatibility.
# Reads the corpus at run time; nothing from it is copied into the repository.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$repo/../shared/corpus}"
samples="$corpus/secrets/labeled/gitleaks-rule-samples.jsonl"
gitleaks_toml="$corpus/secrets/gitleaks__gitleaks/config/gitleaks.toml"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cargo build -q --release -p palisade-secrets --example secrets_eval
eval_bin="$CARGO_TARGET_DIR/release/examples/secrets_eval"
echo "## 1. Built-in rules"
"$eval_bin" labeled "$samples"
echo
echo "## 2. Built-in rules + gitleaks default allowlists"
"$eval_bin" labeled "$samples" --gitleaks-allowlists "$gitleaks_toml" | tail -n 1
echo
echo "## 3. gitleaks default config imported whole"
"$eval_bin" labeled "$samples" --gitleaks-config "$gitleaks_toml" | tail -n 1
