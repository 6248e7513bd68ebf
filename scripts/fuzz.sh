#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, one after the other, with seed
# corpora generated from the test fixtures (fuzz/seeds.py). See docs/fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 600 seconds, every target
#
# Environment: FUZZ_TARGET_DIR (build directory, default fuzz/target), FUZZ_JOBS_NICE
# (nice level, default 10), FUZZ_RSS_MB (libFuzzer RSS limit, default 2048).
# Exit status: 0 when no target crashed or timed out; crashing inputs are kept in
# fuzz/artifacts/<target>/ and each run's log in fuzz/logs/<target>.log.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-600}
shift || true
cd "$root"

# libFuzzer needs nightly-only flags (-Zsanitizer, sancov passes). Use a nightly toolchain
# when rustup has one; otherwise let the stable compiler accept them (RUSTC_BOOTSTRAP=1),
# which is what a machine with a single stable toolchain can do.
if rustup run nightly rustc --version >/dev/null 2>&1; then
    cargo_cmd=(cargo +nightly)
else
    export RUSTC_BOOTSTRAP=1
    cargo_cmd=(cargo)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

target_dir=${FUZZ_TARGET_DIR:-$root/fuzz/target}
niceness=${FUZZ_JOBS_NICE:-10}
rss_mb=${FUZZ_RSS_MB:-2048}

all_targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^palisade-fuzz$')
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    read -r -a targets <<<"$(echo $all_targets)"
fi

nice -n "$niceness" "${cargo_cmd[@]}" fuzz build -O --target-dir "$target_dir"
bin_dir="$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release"

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
python3 fuzz/seeds.py "$root" "$seeds" >/dev/null
mkdir -p fuzz/logs fuzz/corpus

failed=0
printf '%-16s %8s %12s %s\n' target seconds executions result
for t in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t" "$seeds/$t"
    log="fuzz/logs/$t.log"
    start=$(date +%s)
    status=0
    # -timeout: one input running longer than 10 s is a finding (a hang), as is an input
    # that takes the process past the RSS limit. New inputs go to fuzz/corpus/<target>
    # (gitignored); the seeds stay in the temporary directory.
    # The binary built above, run directly: `cargo fuzz run` would hold the build directory's
    # lock for the whole run, so two invocations of this script could not run side by side.
    ASAN_OPTIONS="detect_odr_violation=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" \
    nice -n "$niceness" "$bin_dir/$t" "fuzz/corpus/$t" "$seeds/$t" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb="$rss_mb" \
        -print_final_stats=1 -artifact_prefix="fuzz/artifacts/$t/" \
        >"$log" 2>&1 || status=$?
    took=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    if [ "$status" -eq 0 ]; then
        result=ok
    else
        result="FAILED (exit $status): $(ls "fuzz/artifacts/$t" | head -3 | tr '\n' ' ')"
        failed=1
    fi
    printf '%-16s %8s %12s %s\n' "$t" "$took" "${execs:-?}" "$result"
done
exit "$failed"
