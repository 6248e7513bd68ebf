#!/usr/bin/env bash
# A burst of COUNT openat events at RATE per second while `palisade runtime watch` runs with
# Falco's default rules; prints the sensor's counters (records read, kernel drops) and its
# peak memory. Needs root, a release CLI built with the sensor, and the load generator:
#   cargo build --release -p palisade --features sensor
#   cargo build --release -p palisade-sensor --example syscall_load
# Usage: bench/sensor/burst.sh [COUNT] [RATE] [RING_MIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-1000000}
RATE=${2:-200000}
RING=${3:-16}
P=target/release/palisade
L=target/release/examples/syscall_load
RULES=${FALCO_RULES:-../shared/corpus/falco/rules-current/falcosecurity__rules/rules/falco_rules.yaml}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
secs=$(( COUNT / RATE + 6 ))
# --no-path-filter: the generator's opens match no rule, and the burst is about every event
# reaching user space, not about the kernel dropping them.
"$P" runtime watch -r "$RULES" --no-path-filter --duration "${secs}s" --ring-mib "$RING" --stats \
  --status-file "$out/status.json" >"$out/alerts" 2>"$out/stats" &
pid=$!
# Wait until the programs are attached (the status file is written then).
for _ in $(seq 100); do [ -s "$out/status.json" ] && break; sleep 0.1; done
gen=$("$L" openat "$COUNT" "$RATE")
hwm=$(grep VmHWM /proc/$pid/status | awk '{print $2}')
wait $pid
echo "generator: $gen"
echo "sensor:    $(tail -1 "$out/stats" | sed 's/; syscalls:.*//')"
echo "peak RSS:  $((hwm / 1024)) MiB (ring buffer ${RING} MiB)"
