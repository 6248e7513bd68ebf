#!/usr/bin/env python3
"""The Gatekeeper library's own OPA unit tests (`src/**/src_test.rego`, inline inputs, written
for and passing under OPA) evaluated by the shipped CLI: every `test_*` rule of each package must
be true. An oracle for Rego semantics that did not come from Palisade: a test that is false or
undefined here is a place where Palisade's Rego (regorus plus its compatibility rewrites) and OPA
disagree.

    python3 bench/policy/opa_unit_tests.py [SRC_DIR]   # default ../shared/corpus/.../src
"""
import json, os, pathlib, re, subprocess, sys

root = pathlib.Path(__file__).resolve().parents[2]
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else root / "../shared/corpus/policy/gatekeeper-library/src")
palisade = os.environ.get("PALISADE") or str(root / "target/release/palisade")
if "PALISADE" not in os.environ:
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "palisade"], cwd=root, check=True)

total = passed = 0
failures = []
for test in sorted(src.rglob("src_test.rego")):
    d = test.parent
    package = re.search(r"^package\s+(\S+)", test.read_text(), re.M).group(1)
    names = re.findall(r"^(test_\w+)", test.read_text(), re.M)
    names = sorted(set(names))
    args = [palisade, "policy", "eval"]
    for f in [d / "src.rego", test, *sorted(d.glob("lib_*.rego"))]:
        args += ["--policy", str(f)]
    for n in names:
        total += 1
        out = subprocess.run(args + ["data.%s.%s" % (package, n)], capture_output=True, text=True)
        value = out.stdout.strip()
        if out.returncode == 0 and value == "true":
            passed += 1
        else:
            why = value or out.stderr.strip().split(": ", 1)[-1][:300]
            failures.append(f"{d.relative_to(src)} {n}: {why}")
print(f"{passed} of {total} OPA unit tests true ({100.0 * passed / max(total, 1):.1f} %)")
for f in failures:
    print("  " + f)
