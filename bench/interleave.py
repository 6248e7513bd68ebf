#!/usr/bin/env python3
"""Round-robin timing for a shared, noisy machine.

usage: bench/interleave.py [--runs N] [--warmup N] NAME=COMMAND NAME=COMMAND ...

hyperfine runs all runs of one command, then all of the next, so a build starting next door
lands on one command only. This runs the commands in turn (A B C A B C ...), so load drift
hits all of them alike, and prints per command the median and minimum wall time, the median
CPU time (user + system, from the kernel's rusage, which other processes' load barely moves)
and the peak RSS. Output is discarded; a non-zero exit status is reported.
"""

import argparse
import os
import shlex
import statistics
import subprocess
import time


def run_once(argv):
    start = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - start
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, os.waitstatus_to_exitcode(status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("commands", nargs="+", help="NAME=COMMAND")
    a = ap.parse_args()
    cmds = []
    for c in a.commands:
        name, _, cmd = c.partition("=")
        cmds.append((name, shlex.split(cmd)))
    for _ in range(a.warmup):
        for _, argv in cmds:
            run_once(argv)
    res = {name: [] for name, _ in cmds}
    codes = {}
    for _ in range(a.runs):
        for name, argv in cmds:
            wall, cpu, rss, code = run_once(argv)
            res[name].append((wall, cpu, rss))
            if code:
                codes[name] = code
    print("| command | median wall | min wall | median CPU (user+sys) | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name, _ in cmds:
        walls = [r[0] for r in res[name]]
        cpus = [r[1] for r in res[name]]
        rss = max(r[2] for r in res[name]) / 1024
        note = f" (exit {codes[name]})" if name in codes else ""
        print(f"| {name}{note} | {statistics.median(walls) * 1e3:.0f} ms | {min(walls) * 1e3:.0f} ms "
              f"| {statistics.median(cpus) * 1e3:.0f} ms | {rss:.0f} MiB |")
    print(f"\n{a.runs} rounds, commands in turn; load average {os.getloadavg()[0]:.1f} at the end.")


if __name__ == "__main__":
    main()
