#!/usr/bin/env bash
# Precision/recall of the built-in rules on gitleaks' labelled rule samples.
# Reads the corpus at run time; nothing from it is copied into the repository.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
corpus="${CORPUS:-$repo/../shared/corpus}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}"
cargo build -q --release -p palisade-secrets --example secrets_eval
"$CARGO_TARGET_DIR/release/examples/secrets_eval" labeled "$corpus/secrets/labeled/gitleaks-rule-samples.jsonl"
