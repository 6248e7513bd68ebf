#!/usr/bin/env python3
"""Agreement of palisade-kube with the labeled Checkov and kubesec fixtures.

Reads the corpus at run time (never copied into the repo):
  ../shared/corpus/k8s/labeled  (relative to the repo root; override with CORPUS=...)

Three comparisons, per mapped check, file by file:
  1. checkov-labels: the file name label (…PASSED… / …FAILED…) of each checks/example_<Check>/ fixture,
     for the one Checkov check that directory tests;
  2. checkov-run: Checkov's own verdict (checkov -d … -o json) for every mapped CKV_K8S_* check on
     every labeled file that Checkov evaluated for it;
  3. kubesec-labels: kubesec's fixtures, whose names state the expected outcome of one rule.
A file "fails" a check when Palisade reports any finding whose `related` names the foreign ID.
Palisade runs as shipped: one `palisade config DIR -f json` over the labeled corpus.

Usage: bench/kube/agreement.py [--checkov-json FILE] [--out docs/kube-agreement.md]
"""
import argparse, collections, json, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "shared", "corpus", "k8s", "labeled"))
PEERS = os.environ.get("PEERS", os.path.expanduser("~/.cache/palisade-peers/bin"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import palisade_cli  # noqa: E402

# checks/example_<dir> -> the Checkov check the directory's fixtures are labeled for.
CHECKOV_DIRS = {
    "AllowPrivilegeEscalation": "CKV_K8S_20", "AllowedCapabilities": "CKV_K8S_25",
    "AllowedCapabilitiesSysAdmin": "CKV_K8S_39", "DefaultNamespace": "CKV_K8S_21",
    "DefaultServiceAccount": "CKV_K8S_41", "DefaultServiceAccountBinding": "CKV_K8S_42",
    "DockerSocketVolume": "CKV_K8S_27", "DropCapabilities": "CKV_K8S_28", "HostPort": "CKV_K8S_26",
    "ImageDigest": "CKV_K8S_43", "ImagePullPolicy": "CKV_K8S_15", "ImageTagFixed": "CKV_K8S_14",
    "PrivilegedContainers": "CKV_K8S_16", "ReadOnlyFilesystem": "CKV_K8S_22",
    "RootContainersHighUID": "CKV_K8S_40", "Seccomp": "CKV_K8S_31", "Secrets": "CKV_K8S_35",
    "ServiceAccountTokens": "CKV_K8S_38", "WildcardEntities": "CKV_K8S_49",
}

# kubesec fixture name pattern -> (kubesec rule, expected: True = the rule's risk is present).
KUBESEC = [
    (r"score-0-cap-sys-admin", "kubesec:CapSysAdmin", True),
    (r"score-0-daemonset-host-network", "kubesec:HostNetwork", True),
    (r"score-0-daemonset-host-pid", "kubesec:HostPID", True),
    (r"score-0-daemonset-(mount|volume-host)-docker-socket", "kubesec:VolumeDockerSocket", True),
    (r"score-0-daemonset-securitycontext-privileged", "kubesec:Privileged", True),
    (r"score-0-dep-apparmor-unconfined", "kubesec:ApparmorAny", True),
    (r"score-1-dep-apparmor-nonunconfined", "kubesec:ApparmorAny", False),
    (r"score-0-dep-seccomp-unconfined", "kubesec:SeccompUnconfined", True),
    (r"score-1-dep-seccomp-nonunconfined", "kubesec:SeccompUnconfined", False),
    (r"score-1-dep-ro-root-fs", "kubesec:ReadOnlyRootFilesystem", False),
    (r"score-1-dep-(pod)?seccon-run-as-non-root", "kubesec:RunAsNonRoot", False),
    (r"score-1-dep-(pod)?seccon-run-as-user-10001", "kubesec:RunAsUser", False),
    (r"score-1-dep-(pod)?seccon-run-as-user-1\.", "kubesec:RunAsUser", True),
    (r"score-1-dep-resource-limit-cpu", "kubesec:LimitsCPU", False),
    (r"score-1-dep-resource-limit-memory", "kubesec:LimitsMemory", False),
    (r"score-1-pod-automount-sa-set-to-false", "kubesec:AutomountServiceAccountToken", False),
    (r"score-\d-(pod|dep)-serviceaccount", "kubesec:ServiceAccountName", False),
]


def mapped_ids():
    """Foreign IDs the Kubernetes rules name in `related` (`palisade rules --format json`)."""
    return {x for r in palisade_cli.rules() if r["family"] == "kubernetes" for x in r.get("related", [])}


def palisade(root):
    """file -> set of foreign IDs Palisade's findings name, from `palisade config ROOT`."""
    rep = palisade_cli.report(["config", root])
    for e in palisade_cli.errors(rep):
        print(f"palisade error: {e['source']}: {e['message']}", file=sys.stderr)
    seen = collections.defaultdict(set)
    for f in palisade_cli.findings(rep):
        # Paths are relative to the scanned directory.
        seen[os.path.realpath(os.path.join(root, f["location"]["path"]))].update(f.get("related", []))
    return seen


def checkov_run(path, cached):
    if cached and os.path.exists(cached):
        data = json.load(open(cached))
    else:
        # Not --quiet: it drops passed checks from the JSON, and the comparison needs both verdicts.
        r = subprocess.run([os.path.join(PEERS, "checkov"), "-d", path, "--framework", "kubernetes",
                            "-o", "json", "--compact", "--skip-download"],
                           capture_output=True, text=True)
        data = json.loads(r.stdout)
    reps = data if isinstance(data, list) else [data]
    verdict = collections.defaultdict(dict)  # file -> check -> failed?
    for rep in reps:
        for kind, failed in (("passed_checks", False), ("failed_checks", True)):
            for c in rep["results"].get(kind, []):
                fp = os.path.realpath(os.path.join(path, c["file_path"].lstrip("/")))
                v = verdict[fp]
                v[c["check_id"]] = v.get(c["check_id"], False) or failed
    return verdict


def label_of(name):
    if "FAILED" in name:
        return True
    if "PASSED" in name or "-pass" in name or "PASS." in name:
        return False
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkov-json")
    ap.add_argument("--out")
    a = ap.parse_args()
    corpus = os.path.realpath(CORPUS)
    ours = palisade(corpus)
    rows = []  # (comparison, check, files, agree, disagreements)

    def add(comp, check, results):
        agree = sum(1 for _, exp, got in results if exp == got)
        bad = [f"{os.path.relpath(f, corpus)} (expected {'fail' if e else 'pass'})" for f, e, g in results if e != g]
        rows.append((comp, check, len(results), agree, bad))

    base = os.path.join(corpus, "bridgecrewio__checkov", "checks")
    mapped_all = mapped_ids()
    for d, ckv in sorted(CHECKOV_DIRS.items(), key=lambda x: int(x[1].split("_")[-1])):
        if ckv not in mapped_all:
            print(f"not mapped (semantics differ): {ckv} ({d})")
            continue
        res = []
        for fn in sorted(os.listdir(os.path.join(base, "example_" + d))):
            exp = label_of(fn)
            if exp is None:
                continue
            fp = os.path.realpath(os.path.join(base, "example_" + d, fn))
            res.append((fp, exp, ckv in ours.get(fp, set())))
        add("checkov-labels", ckv, res)

    verdict = checkov_run(corpus, a.checkov_json)
    mapped = sorted({r for r in mapped_all if r.startswith("CKV_K8S_")}, key=lambda x: int(x.split("_")[-1]))
    for ckv in mapped:
        res = [(fp, v[ckv], ckv in ours.get(fp, set())) for fp, v in sorted(verdict.items()) if ckv in v]
        if res:
            add("checkov-run", ckv, res)

    kdir = os.path.join(corpus, "controlplaneio__kubesec", "test", "asset")
    per_rule = collections.defaultdict(list)
    for fn in sorted(os.listdir(kdir)):
        for pat, rule, exp in KUBESEC:
            if re.search(pat, fn):
                fp = os.path.realpath(os.path.join(kdir, fn))
                per_rule[rule].append((fp, exp, rule in ours.get(fp, set())))
    for rule, res in sorted(per_rule.items()):
        add("kubesec-labels", rule, res)

    lines = ["| comparison | check | files | agree | agreement | disagreements |", "|---|---|---:|---:|---:|---|"]
    worst = 100.0
    for comp, check, n, ok, bad in rows:
        pct = 100.0 * ok / n if n else 100.0
        worst = min(worst, pct)
        lines.append(f"| {comp} | {check} | {n} | {ok} | {pct:.1f}% | {'; '.join(bad[:4])}{' …' if len(bad) > 4 else ''} |")
    table = "\n".join(lines)
    print(table)
    print(f"\nlowest per-check agreement: {worst:.1f}%")
    if a.out:
        with open(a.out, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
