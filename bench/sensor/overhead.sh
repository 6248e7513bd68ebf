#!/usr/bin/env bash
# How much slower a fork+exec loop and an openat loop run with the sensor attached and
# Falco's default rules loaded. Rounds alternate without and with the sensor (started before,
# stopped after each "with" round) so drift on a shared machine falls on both sides; the
# figures are medians over all rounds' hyperfine runs.
# Needs root, hyperfine, a release CLI built with the sensor and the load generator (see
# burst.sh). Usage: bench/sensor/overhead.sh [ROUNDS] [RUNS_PER_ROUND]
# WATCH_ARGS adds arguments to `runtime watch` (e.g. --no-path-filter). Also printed: the CPU
# time the sensor itself used during each "with" round (its reader runs on the other core).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
RUNS=${2:-5}
P=${PALISADE:-target/release/palisade}
L=target/release/examples/syscall_load
RULES=${FALCO_RULES:-../shared/corpus/falco/rules-current/falcosecurity__rules/rules/falco_rules.yaml}
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
measure() { # file
  hyperfine -N -w 1 -r "$RUNS" --export-json "$1" \
    -n forkexec "$L forkexec 2000" -n openat "$L openloop 1000000" >/dev/null
}
for r in $(seq "$ROUNDS"); do
  measure "$out/without-$r.json"
  rm -f "$out/status.json"
  # shellcheck disable=SC2086
  "$P" runtime watch -r "$RULES" ${WATCH_ARGS:-} --status-file "$out/status.json" >/dev/null 2>"$out/err" &
  pid=$!
  for _ in $(seq 100); do [ -s "$out/status.json" ] && break; sleep 0.1; done
  c0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  measure "$out/with-$r.json"
  c1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "round $r: the sensor used $(( (c1 - c0) * 1000 / $(getconf CLK_TCK) )) ms of CPU" >&2
  kill -INT "$pid"; wait "$pid" || true; pid=
done
python3 - "$out" <<'PY'
import glob, json, statistics, sys
def times(side):
    t = {}
    for f in glob.glob(f"{sys.argv[1]}/{side}-*.json"):
        for r in json.load(open(f))["results"]:
            t.setdefault(r["command"], []).extend(r["times"])
    return t
a, b = times("without"), times("with")
rounds = sorted(glob.glob(f"{sys.argv[1]}/without-*.json"))
for f in rounds:
    r = f.rsplit("-", 1)[1].split(".")[0]
    per = []
    for side in ("without", "with"):
        for x in json.load(open(f"{sys.argv[1]}/{side}-{r}.json"))["results"]:
            per.append(f"{x['command']} {side} {statistics.median(x['times'])*1000:.0f}")
    print(f"round {r}: " + ", ".join(per), file=sys.stderr)
for k in a:
    ma, mb = statistics.median(a[k]), statistics.median(b[k])
    print(f"{k:9} without {ma*1000:8.1f} ms  with {mb*1000:8.1f} ms  speed {100*ma/mb:5.1f} %  ({len(a[k])}+{len(b[k])} runs)")
PY
