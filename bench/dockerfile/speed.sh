#!/usr/bin/env bash
# Palisade's Dockerfile linter vs hadolint over every Dockerfile of the corpus, in one
# hyperfine run. Writes docs/benchmarks-dockerfile.md.
# Usage (repo root): bench/dockerfile/speed.sh [CORPUS_DIR]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$repo/../shared/corpus/dockerfiles}
target=${CARGO_TARGET_DIR:-$(git rev-parse --show-toplevel)/target}
peers=${PALISADE_PEERS:-/root/.cache/palisade-peers/bin}
out=$repo/bench/out/benchmarks-dockerfile.md; mkdir -p "$repo/bench/out"

(cd "$repo" && CARGO_TARGET_DIR=$target cargo build --release -q -p palisade-dockerfile --example dfscan)
dfscan=$target/release/examples/dfscan
list=$(mktemp)
trap 'rm -f "$list" "$list.md"' EXIT
find "$corpus" -type f ! -name '*.yaml' ! -name '*.yml' ! -name '*.golden' ! -name '*.jsonl' ! -name '*.tsv' ! -name '*.json' ! -name '*.md' | sort > "$list"
n=$(wc -l < "$list")
bytes=$(xargs cat < "$list" | wc -c)
files=$(tr '\n' ' ' < "$list")

hyperfine --warmup 2 --runs 10 -i -N --export-markdown "$list.md" \
  -n palisade "$dfscan $files" \
  -n hadolint "$peers/hadolint --no-fail $files"

{
  echo "# Dockerfile linting speed: Palisade vs hadolint"
  echo
  echo "Corpus: $n Dockerfiles ($bytes bytes) under \`../shared/corpus/dockerfiles\`, all files in one process per tool."
  echo "Machine: $(nproc) cores, $(uname -sr). hadolint $("$peers/hadolint" --version | awk '{print $NF}')."
  echo
  echo "Command: \`bench/dockerfile/speed.sh\`, which runs"
  echo
  echo '```'
  echo "hyperfine --warmup 2 --runs 10 -i -N \\"
  echo "  -n palisade '$dfscan <files>' \\"
  echo "  -n hadolint '$peers/hadolint --no-fail <files>'"
  echo '```'
  echo
  echo "\`dfscan\` is the \`palisade-dockerfile\` example binary: it parses and runs every DF rule on each file."
  echo "The machine is shared with other builds, so absolute times vary between runs; the ratio is what matters."
  echo
  cat "$list.md"
} > "$out"
echo "wrote $out"
