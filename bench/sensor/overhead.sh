#!/usr/bin/env bash
# How much slower a fork+exec loop and an openat loop run with the sensor attached and
# Falco's default rules loaded, side by side in one run: hyperfine alternates the runs
# without and with the sensor (started before, stopped after each measurement set).
# Needs root, hyperfine, a release CLI built with the sensor and the load generator (see
# burst.sh). Usage: bench/sensor/overhead.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-10}
P=target/release/palisade
L=target/release/examples/syscall_load
RULES=${FALCO_RULES:-../shared/corpus/falco/rules-current/falcosecurity__rules/rules/falco_rules.yaml}
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
measure() { # label
  hyperfine -N -w 2 -r "$RUNS" --export-json "$out/$1.json" \
    -n forkexec "$L forkexec 2000" -n openat "$L openloop 1000000" >/dev/null
  python3 - "$out/$1.json" "$1" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{sys.argv[2]:8} {r['command']:9} median {r['median']*1000:8.1f} ms")
PY
}
measure without
"$P" runtime watch -r "$RULES" --status-file "$out/status.json" >/dev/null 2>"$out/err" &
pid=$!
for _ in $(seq 100); do [ -s "$out/status.json" ] && break; sleep 0.1; done
measure with
kill -INT "$pid"; wait "$pid" || true; pid=
python3 - "$out/without.json" "$out/with.json" <<'PY'
import json, sys
a = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
b = {r["command"]: r["median"] for r in json.load(open(sys.argv[2]))["results"]}
for k in a:
    print(f"{k:9} speed with the sensor: {100 * a[k] / b[k]:.1f} % of without")
PY
