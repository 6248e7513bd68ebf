#!/usr/bin/env bash
# Palisade (the shipped CLI) vs hadolint over every Dockerfile of the corpus, all files in one
# process per tool, side by side in one hyperfine run. Writes bench/out/benchmarks-dockerfile.md
# (a section for docs/benchmarks.md).
# Usage (repo root): bench/dockerfile/speed.sh [CORPUS_DIR]   (RUNS=10 WARMUP=2 by default)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
corpus=${1:-$repo/../shared/corpus/dockerfiles}
runs=${RUNS:-10}
warmup=${WARMUP:-2}
peers=${PALISADE_PEERS:-$HOME/.cache/palisade-peers/bin}
out=$repo/bench/out/benchmarks-dockerfile.md
mkdir -p "$repo/bench/out"
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine; }

(cd "$repo" && cargo build --release -q -p palisade)
pal=${PALISADE:-${CARGO_TARGET_DIR:-$repo/target}/release/palisade}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
find "$corpus" -type f ! -name '*.yaml' ! -name '*.yml' ! -name '*.golden' ! -name '*.jsonl' ! -name '*.tsv' ! -name '*.json' ! -name '*.md' | sort > "$work/list"
n=$(wc -l < "$work/list")
bytes=$(xargs cat < "$work/list" | wc -c)
files=$(tr '\n' ' ' < "$work/list")
# `palisade config` takes one directory: each corpus file becomes DIR/fNNNN/Dockerfile (its
# own name may not say Dockerfile, e.g. `Dockerfile.alpine3.20` does but `projects/x` does not).
tree=$work/tree
i=0
while read -r f; do
  mkdir -p "$tree/f$i"
  cp "$f" "$tree/f$i/Dockerfile"
  i=$((i + 1))
done < "$work/list"
: > "$work/empty.yaml"
pal_cmd="$pal config $tree -f json -q -o /dev/null --config $work/empty.yaml"
"$pal" config "$tree" -f json -q --config "$work/empty.yaml" | python3 -c '
import json, sys
r = json.load(sys.stdin)["results"][0]
findings, errors = len(r["findings"]), len(r.get("errors", []))
print(f"palisade: {findings} findings, {errors} parse errors")'

hyperfine --warmup "$warmup" --runs "$runs" -i -N --export-markdown "$work/table.md" --export-json "$repo/bench/out/dockerfile-speed.json" \
  -n palisade "$pal_cmd" \
  -n hadolint "$peers/hadolint --no-fail $files"
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
pal_rss=$(rss $pal_cmd)
had_rss=$(rss "$peers/hadolint" --no-fail $(cat "$work/list"))

{
  echo "Corpus: $n Dockerfiles ($bytes bytes) under \`../shared/corpus/dockerfiles\`, all files in one process per tool."
  echo "Machine: $(nproc) cores, $(uname -sr). hadolint $("$peers/hadolint" --version | awk '{print $NF}')."
  echo
  echo "Command: \`bench/dockerfile/speed.sh\`, which copies each file to \`TREE/fNNNN/Dockerfile\` and runs"
  echo
  echo '```'
  echo "hyperfine --warmup $warmup --runs $runs -i -N \\"
  echo "  -n palisade 'palisade config TREE -f json -q -o /dev/null --config EMPTY.yaml' \\"
  echo "  -n hadolint 'hadolint --no-fail <files>'"
  echo '```'
  echo
  cat "$work/table.md"
  echo
  echo "Peak RSS (GNU time): palisade $((pal_rss / 1024)) MiB, hadolint $((had_rss / 1024)) MiB."
} > "$out"
cat "$out"
