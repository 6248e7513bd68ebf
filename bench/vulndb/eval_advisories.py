#!/usr/bin/env python3
"""Vulnerability matching of the shipped CLI against the corpus's expected advisories.

usage: bench/vulndb/eval_advisories.py [CORPUS_DIR]   (exit 1 if an expected advisory is missing)

1. `palisade db import --db TMP/db.sqlite CORPUS/advisories/osv` (offline import);
2. a project tree holding the packages of `CORPUS/images/expected-advisory-matches.json`
   the way a project pins them: `py/requirements.txt` (requests, urllib3, PyYAML, Django),
   `node/package-lock.json` (lodash 4.17.4) and, as a negative control,
   `control/package-lock.json` (lodash 4.17.21, outside every range of the corpus records);
3. `palisade fs TREE --scanners vuln --db TMP/db.sqlite -f json`, and per package: every
   expected advisory ID must be among the reported findings' IDs, aliases or merged
   advisories (`extra.merged_advisories`).
Prints a markdown table.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import palisade_cli  # noqa: E402


def lockfile(name, version):
    return json.dumps({
        "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {name: version}},
            f"node_modules/{name}": {"version": version,
                                     "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{version}.tgz"},
        },
    }, indent=2)


def ids(f):
    """Every ID a finding stands for: its own, its aliases, the advisories merged into it."""
    s = {f["rule_id"]}
    s.update((f.get("vulnerability") or {}).get("aliases", []))
    s.update(x for x in (f.get("extra") or {}).get("merged_advisories", []) if isinstance(x, str))
    return s


def main():
    repo = Path(__file__).resolve().parents[2]
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else repo.parent / "shared/corpus")
    expected = json.load(open(corpus / "images/expected-advisory-matches.json"))
    # (label, ecosystem, name, version, expected IDs or None for the negative control)
    cases = []
    for key, want in expected["pypi"].items():
        name, version = key.split("==", 1)
        cases.append((f"{name} {version}", "pypi", name, version, list(want)))
    lodash = expected["npm lodash@4.17.4"]["github/advisory-database sample"]
    cases.append(("lodash 4.17.4 (GHSA sample)", "npm", "lodash", "4.17.4", [s.split()[0] for s in lodash]))
    cases.append(("lodash 4.17.21 (negative control)", "npm", "lodash", "4.17.21", None))

    pal = palisade_cli.binary()
    with tempfile.TemporaryDirectory(prefix="palisade-vuln-eval-") as tmp:
        db = os.path.join(tmp, "db.sqlite")
        t = time.monotonic()
        imp = subprocess.run([pal, "db", "import", "--db", db, str(corpus / "advisories/osv")],
                             capture_output=True, text=True)
        import_s = time.monotonic() - t
        if imp.returncode != 0:
            sys.exit(f"palisade db import failed: {imp.stderr[-2000:]}")
        skipped = sum(1 for l in imp.stderr.splitlines() if l.startswith("warning: skipped"))
        tree = Path(tmp) / "tree"
        (tree / "py").mkdir(parents=True)
        reqs = [f"{c[2]}=={c[3]}" for c in cases if c[1] == "pypi"]
        (tree / "py/requirements.txt").write_text("\n".join(reqs) + "\n")
        (tree / "node").mkdir()
        (tree / "node/package-lock.json").write_text(lockfile("lodash", "4.17.4"))
        (tree / "control").mkdir()
        (tree / "control/package-lock.json").write_text(lockfile("lodash", "4.17.21"))
        t = time.monotonic()
        rep = palisade_cli.report(["fs", str(tree), "--scanners", "vuln", "--db", db])
        scan_s = time.monotonic() - t

    by_pkg = defaultdict(list)
    for f in palisade_cli.findings(rep):
        v = f.get("vulnerability") or {}
        by_pkg[(v.get("package_name", "").lower(), v.get("installed_version"))].append(f)
    print(imp.stdout.strip())
    print(f"({skipped} files skipped with a warning; import {import_s:.1f} s wall, "
          f"scan {scan_s * 1000:.0f} ms wall including start-up)\n")
    print("| package | expected (`images/expected-advisory-matches.json`) | reported | missing | extra |")
    print("|---|---:|---:|---:|---:|")
    missing_total = 0
    for label, eco, name, version, want in cases:
        got = by_pkg.get((name.lower(), version), [])
        got_ids = set().union(*map(ids, got)) if got else set()
        if want is None:
            print(f"| {label} | 0 | {len(got)} | – | {len(got)} |")
            missing_total += len(got)
            continue
        miss = [w for w in want if w not in got_ids]
        extra = [f["rule_id"] for f in got if not (ids(f) & set(want))]
        missing_total += len(miss)
        print(f"| {label} | {len(want)} | {len(got)} | {len(miss)} | {len(extra)} |")
        for m in miss:
            print(f"|   missing | {m} | | | |")
        for x in extra:
            print(f"|   extra | {x} | | | |")
    errs = palisade_cli.errors(rep)
    for e in errs:
        print(f"\nwarning: {e['source']}: {e['message']}")
    if missing_total:
        print(f"\nFAIL: {missing_total} expected advisories missing (or negative-control findings)")
        sys.exit(1)
    print("\nOK: every expected advisory reported")


if __name__ == "__main__":
    main()
