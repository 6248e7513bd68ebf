#!/usr/bin/env bash
# What the kernel's syscall hook costs the overhead loops before the sensor does anything:
# the loops without a program, with an empty program on raw_syscalls:sys_exit
# (floor/empty.bpf.c), with one that only reads each openat's path (floor/path_read.bpf.c),
# and with the sensor and Falco's default rules, in alternating rounds as in overhead.sh.
# This kernel offers syscall tracepoints and nothing cheaper (see docs/benchmarks.md), so the
# second and third lines bound what any tracepoint sensor can reach here.
# Needs root, clang, hyperfine, the release CLI with the sensor and the examples:
#   cargo build --release -p palisade --features sensor
#   cargo build --release -p palisade-sensor --example syscall_load --example attach_object
# Usage: bench/sensor/floor.sh [ROUNDS] [RUNS_PER_ROUND]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-4}
RUNS=${2:-5}
P=${PALISADE:-target/release/palisade}
L=target/release/examples/syscall_load
A=target/release/examples/attach_object
RULES=${FALCO_RULES:-../shared/corpus/falco/rules-current/falcosecurity__rules/rules/falco_rules.yaml}
INC=$(find target/release/build -path '*libbpf-sys-*/out/include' -type d | head -1)
[ -n "$INC" ] || { echo "libbpf headers not found: build the sensor first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"; [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true' EXIT
for prog in empty path_read; do
  clang -O2 -g -target bpf -D__TARGET_ARCH_x86 -I crates/palisade-sensor/src/bpf -I "$INC" \
    -c "bench/sensor/floor/$prog.bpf.c" -o "$out/$prog.o"
done
CONFIGS="none empty path_read sensor"
for r in $(seq "$ROUNDS"); do
  for c in $CONFIGS; do
    pid=
    rm -f "$out/ready"
    case $c in
      none) : ;;
      sensor) "$P" runtime watch -r "$RULES" --status-file "$out/ready" >/dev/null 2>"$out/err" & pid=$! ;;
      *) "$A" "$out/$c.o" "$out/ready" & pid=$! ;;
    esac
    if [ -n "$pid" ]; then
      for _ in $(seq 100); do [ -s "$out/ready" ] && break; sleep 0.1; done
      [ -s "$out/ready" ] || { echo "$c did not start" >&2; cat "$out/err" 2>/dev/null >&2; exit 1; }
    fi
    hyperfine -N -w 1 -r "$RUNS" --export-json "$out/$c-$r.json" \
      -n forkexec "$L forkexec 2000" -n openat "$L openloop 1000000" >/dev/null
    # SIGINT for the sensor (it stops cleanly); the loader has no handler, and a background
    # job ignores SIGINT.
    if [ -n "$pid" ]; then
      if [ "$c" = sensor ]; then kill -INT "$pid"; else kill -TERM "$pid"; fi
      wait "$pid" 2>/dev/null || true
      pid=
    fi
  done
  echo "round $r of $ROUNDS done" >&2
done
python3 - "$out" "$CONFIGS" <<'PY'
import glob, json, statistics, sys
out, configs = sys.argv[1], sys.argv[2].split()
t = {}
for c in configs:
    for f in glob.glob(f"{out}/{c}-*.json"):
        for r in json.load(open(f))["results"]:
            t.setdefault((r["command"], c), []).extend(r["times"])
for cmd in ("forkexec", "openat"):
    base = statistics.median(t[(cmd, "none")])
    for c in configs:
        m = statistics.median(t[(cmd, c)])
        print(f"{cmd:9} {c:10} {m*1000:8.1f} ms  speed {100*base/m:5.1f} %  ({len(t[(cmd, c)])} runs)")
PY
