#!/usr/bin/env python3
"""Falco's former k8s audit regression suite (test/falco_k8s_audit_tests.yaml with its trace
files and rule overlays, removed from falcosecurity/falco in b1ae5d3d) through
`palisade runtime replay`. Reads everything from a local mirror of the Falco repository at
the commit before the removal; the current rules come from the shared corpus. Prints one
line per case and a total.

  bench/runtime/falco_k8s_regression.py [--verbose]
  FALCO_MIRROR=/path/to/falco.git PALISADE=target/debug/palisade FALCO_CORPUS=... (defaults below)
"""
import collections, json, os, subprocess, sys, tempfile
import yaml

# A git directory of falcosecurity/falco (e.g. a bare clone); required.
MIRROR = os.environ.get("FALCO_MIRROR", "")
REV = os.environ.get("FALCO_REV", "b1ae5d3d^")
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get(
    "FALCO_CORPUS", os.path.join(REPO, "..", "shared", "corpus", "falco", "rules-current")
)
PALISADE = os.environ.get("PALISADE", "target/debug/palisade")
VERBOSE = "--verbose" in sys.argv


def show(path):
    return subprocess.run(["git", "-C", MIRROR, "show", f"{REV}:{path}"], check=True, capture_output=True).stdout


class Loader(yaml.SafeLoader):
    pass


Loader.add_constructor("!mux", lambda l, n: l.construct_mapping(n, deep=True))


def main():
    if not os.path.isdir(MIRROR) or not os.path.isdir(CORPUS):
        print(f"SKIPPED: {MIRROR} or {CORPUS} is absent")
        return 0
    tests = yaml.load(show("test/falco_k8s_audit_tests.yaml"), Loader=Loader)["trace_files"]
    with tempfile.TemporaryDirectory(prefix="falco-k8s-") as tmp:
        return run(tests, tmp)


def run(tests, tmp):
    base = {
        "falco_rules.yaml": f"{CORPUS}/falcosecurity__rules/rules/falco_rules.yaml",
        "k8s_audit_rules.yaml": f"{CORPUS}/falcosecurity__plugins/plugins/k8saudit/rules/k8s_audit_rules.yaml",
    }

    def local(p):
        if p.startswith("BUILD_DIR/"):
            return base[os.path.basename(p)]
        rel = "test/" + p.lstrip("./")
        out = os.path.join(tmp, rel.replace("/", "__"))
        if not os.path.exists(out):
            with open(out, "wb") as f:
                f.write(show(rel))
        return out

    current = set()
    for path in base.values():
        for line in open(path):
            if line.startswith("- rule:"):
                current.add(line.split(":", 1)[1].strip())
    passed, failed, stale = 0, [], []
    for name, case in tests.items():
        opts = case.get("addl_cmdline_opts", "")
        trace = opts.split("open_params=", 1)[1].split()[0]
        rules = [local(r) for r in case["rules_file"]]
        cmd = [PALISADE, "runtime", "replay", "--source", "k8saudit", local(trace)]
        for r in rules:
            cmd[3:3] = []
            cmd += ["--rules", r]
        r = subprocess.run(cmd, capture_output=True, text=True)
        got = collections.Counter(json.loads(l)["rule"] for l in r.stdout.splitlines() if l.startswith("{"))
        ok, why = True, ""
        if r.returncode not in (0,):
            ok, why = False, f"exit {r.returncode}: {r.stderr.strip()[:200]}"
        elif "stderr_contains" in case:
            ok = case["stderr_contains"] in r.stderr
            why = "" if ok else f"stderr lacks {case['stderr_contains']!r}"
        elif case["detect"]:
            for item in case.get("detect_counts", []):
                for rule, n in item.items():
                    if got.get(rule, 0) != n:
                        ok, why = False, f"{rule}: {got.get(rule, 0)} != {n}; alerts {dict(got)}"
            if not case.get("detect_counts") and not got:
                ok, why = False, "no alert"
        elif got:
            ok, why = False, f"expected no alert, got {dict(got)}"
        # Cases written for rules that have since changed: a rule renamed, or an overlay
        # appending to a list the current rules no longer define (Falco refuses that too).
        expected = {k for item in case.get("detect_counts", []) for k in item}
        old_rules = bool(expected - current) or "no list by that name" in r.stderr
        tag = "ok  " if ok else ("n/a " if old_rules else "FAIL")
        if ok:
            passed += 1
        elif old_rules:
            stale.append(name)
        else:
            failed.append((name, why))
        if VERBOSE or not ok:
            print(f"{tag} {name} {why}")
    print(
        f"falco k8s audit regression cases: {passed}/{len(tests)} pass, "
        f"{len(stale)} written for older rules (renamed rule or removed list), {len(failed)} fail"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
