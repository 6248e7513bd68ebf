#!/usr/bin/env python3
"""Whether each Kubernetes rule is the same check as the foreign checks it names.

A rule's `related` IDs promise equivalence (`--ignore KSV-0017` and `palisade rules
CKV_K8S_16` use them); its `similar` IDs name checks about the same concern that fire on other
inputs. This script runs the peers and Palisade over the corpus and measures both, so the
promise is a measured one.

Reads the corpus at run time (never copied into the repo):
  ../shared/corpus/k8s/{general,labeled}  (override the root with CORPUS=...)
and the probe manifests of bench/kube/probes/ (written for this measurement: they exercise
fields the public corpus never sets, such as procMount, sysctls and hostProcess).

Peer comparison ("peer-run" rows), one unit per object: a YAML document of a file (a `List`
document counts as one unit). Both tools' verdicts are mapped to units by line:
  - Trivy: `trivy config --include-non-failures -f json DIR`; a FAIL with a start line inside a
    document fails that unit (a FAIL without a line is placed by the object name in its message).
    Trivy prints one PASS per file and check whatever the kinds, so the units a check is about
    are the objects of the kinds on which Trivy or the Palisade rule fired anywhere in the
    measurement (all pod-bearing kinds when either fired on one): otherwise every ConfigMap
    would count as agreement on a pod check.
  - Checkov: `checkov -d DIR --framework kubernetes -o json` (not --quiet: it drops passed
    checks); a unit is about a check when Checkov evaluated it there (passed or failed) or the
    Palisade rule fired there.
Agreement = units where both fire or both pass / units. Files Palisade cannot parse (listed)
are left out: the question is whether the checks are the same, not parser coverage.

Per pair (rule, foreign ID) and per foreign ID over the union of the rules that name it in
`related` (Palisade splits some foreign checks in two: Trivy's DS-0002 is DF004 + DF005; a
foreign ID is equivalent when that union is). A foreign ID in `related` must reach 95% per ID
and per pair against every peer that has it; `--check` exits 1 otherwise.

Label comparisons ("checkov-labels", "kubesec-labels") are kept from the earlier version: the
PASSED/FAILED names of Checkov's fixtures and kubesec's fixture names.

Usage: bench/kube/agreement.py [--cache DIR] [--out docs/kube-agreement.md]
                               [--json bench/kube/agreement.json] [--check]
--cache DIR keeps (and reuses) the peers' JSON outputs there.
"""
import argparse, bisect, collections, json, os, re, subprocess, sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.environ.get("CORPUS", os.path.join(ROOT, "..", "shared", "corpus", "k8s"))
PROBES = os.path.join(ROOT, "bench", "kube", "probes")
PEERS = os.environ.get("PEERS", os.path.expanduser("~/.cache/palisade-peers/bin"))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import palisade_cli  # noqa: E402

BAR = 95.0
POD_KINDS = {"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
             "Job", "CronJob", "PodTemplate"}

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


# ---------------------------------------------------------------- units (objects) of a file

class Doc:
    """The documents of one file: their first lines, kinds and names."""

    SEP = re.compile(r"^---(\s|$)")

    def __init__(self, path):
        try:
            lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
        except OSError:
            lines = []
        self.starts, self.kinds, self.names = [1], [], []
        for n, line in enumerate(lines, 1):
            if self.SEP.match(line) and n > 1:
                self.starts.append(n)
        bounds = self.starts + [len(lines) + 1]
        for i in range(len(self.starts)):
            kind, name = self.identity("\n".join(lines[bounds[i] - 1:bounds[i + 1] - 1]))
            self.kinds.append(kind)
            self.names.append(name)

    @staticmethod
    def identity(text):
        """(kind, metadata.name) of one document; a top-level `kind:` line when it does not load."""
        try:
            obj = yaml.safe_load(text)
        except yaml.YAMLError:
            m = re.search(r"^kind:\s*[\"']?([A-Za-z]+)", text, re.M)
            return (m.group(1) if m else None), None
        if not isinstance(obj, dict):
            return None, None
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        kind, name = obj.get("kind"), meta.get("name")
        return (kind if isinstance(kind, str) else None), (name if isinstance(name, str) else None)

    def at(self, line):
        return max(0, bisect.bisect_right(self.starts, line) - 1)


DOCS = {}


def doc(path):
    if path not in DOCS:
        DOCS[path] = Doc(path)
    return DOCS[path]


def unit_kind(u):
    return doc(u[0]).kinds[u[1]]


# ---------------------------------------------------------------- tools

def palisade(root):
    """({unit: {rule IDs}}, {files Palisade could not parse}) from `palisade config ROOT`."""
    rep = palisade_cli.report(["config", root])
    broken = set()
    for e in palisade_cli.errors(rep):
        broken.add(os.path.realpath(os.path.join(root, e["source"])))
    fired = collections.defaultdict(set)
    for f in palisade_cli.findings(rep):
        loc = f["location"]
        p = os.path.realpath(os.path.join(root, loc["path"]))
        line = (loc.get("span") or {}).get("start_line", 1)
        fired[(p, doc(p).at(line))].add(f["rule_id"])
    return fired, broken


def cached_json(cache, name, cmd):
    path = os.path.join(cache, name) if cache else None
    if path and os.path.exists(path):
        return json.load(open(path))
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        data = json.loads(r.stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"{' '.join(cmd)}: no JSON output: {r.stderr[-2000:]}")
    if path:
        os.makedirs(cache, exist_ok=True)
        json.dump(data, open(path, "w"))
    return data


def trivy(root, cache, tag):
    """({unit: {IDs failed}}, {files Trivy evaluated})."""
    data = cached_json(cache, f"trivy-{tag}.json", [
        os.path.join(PEERS, "trivy"), "config", "--skip-check-update", "--include-non-failures",
        "--disable-telemetry", "--skip-version-check", "--cache-backend", "memory", "-q", "-f", "json", root])
    failed = collections.defaultdict(set)
    files = set()
    for r in data.get("Results") or []:
        p = os.path.realpath(os.path.join(root, r["Target"]))
        files.add(p)
        d = doc(p)
        for m in r.get("Misconfigurations") or []:
            if m.get("Status") != "FAIL":
                continue
            line = (m.get("CauseMetadata") or {}).get("StartLine")
            if line:
                idxs = [d.at(line)]
            else:
                # No line (a handful of checks): the documents whose name the message quotes.
                idxs = [i for i, n in enumerate(d.names) if n and re.search(r"['\"]%s['\"]" % re.escape(n), m.get("Message", ""))]
                if not idxs and len(d.starts) == 1:
                    idxs = [0]
            for i in idxs:
                failed[(p, i)].add(m["ID"])
    return failed, files


def checkov(root, cache, tag):
    """{unit: {check: failed?}} for every check Checkov evaluated on the unit."""
    data = cached_json(cache, f"checkov-{tag}.json", [
        os.path.join(PEERS, "checkov"), "-d", root, "--framework", "kubernetes", "-o", "json",
        "--compact", "--skip-download"])
    reps = data if isinstance(data, list) else [data]
    verdict = collections.defaultdict(dict)
    for rep in reps:
        for kind, failed in (("passed_checks", False), ("failed_checks", True)):
            for c in rep["results"].get(kind, []):
                p = os.path.realpath(os.path.join(root, c["file_path"].lstrip("/")))
                u = (p, doc(p).at(c["file_line_range"][0]))
                v = verdict[u]
                v[c["check_id"]] = v.get(c["check_id"], False) or failed
    return verdict


# ---------------------------------------------------------------- comparison

def peer_of(fid):
    if fid.startswith("KSV-"):
        return "trivy"
    if fid.startswith("CKV_K8S_") or fid.startswith("CKV2_K8S_"):
        return "checkov"
    return None


def compare(units, ours, theirs):
    """Counts over `units`: (both, ours only, theirs only, neither, disagreements)."""
    both = only_ours = only_theirs = neither = 0
    bad = []
    for u in sorted(units):
        a, b = ours(u), theirs(u)
        if a and b:
            both += 1
        elif a:
            only_ours += 1
            bad.append((u, "Palisade only"))
        elif b:
            only_theirs += 1
            bad.append((u, "peer only"))
        else:
            neither += 1
    return both, only_ours, only_theirs, neither, bad


def peer_rows(rules, roots, cache):
    ours, broken = {}, set()
    t_failed, t_files, c_verdict = {}, set(), {}
    for tag, root in roots:
        f, b = palisade(root)
        ours.update(f)
        broken |= b
        tf, tfiles = trivy(root, cache, tag)
        t_failed.update(tf)
        t_files |= tfiles
        c_verdict.update(checkov(root, cache, tag))
    all_units = set()
    for p in t_files:
        for i in range(len(doc(p).starts)):
            all_units.add((p, i))
    all_units |= set(c_verdict)
    all_units = {u for u in all_units if u[0] not in broken}

    def fired(rule_ids):
        return lambda u: bool(ours.get(u, set()) & rule_ids)

    def trivy_fired(fid):
        return lambda u: fid in t_failed.get(u, set())

    def checkov_fired(fid):
        return lambda u: c_verdict.get(u, {}).get(fid, False)

    def population(peer, fid, rule_ids):
        mine = {u for u in all_units if ours.get(u, set()) & rule_ids}
        if peer == "checkov":
            return {u for u in all_units if fid in c_verdict.get(u, {})} | mine
        theirs = {u for u in all_units if fid in t_failed.get(u, set())}
        kinds = {unit_kind(u) for u in mine | theirs}
        if kinds & POD_KINDS:
            kinds |= POD_KINDS
        return {u for u in all_units if u[0] in t_files and unit_kind(u) in kinds}

    pairs = []  # one per (rule, foreign ID), related or similar
    for r in rules:
        for rel, ids in (("equivalent", r.get("related", [])), ("similar", [s["id"] for s in r.get("similar", [])])):
            for fid in ids:
                peer = peer_of(fid)
                if not peer:
                    continue
                pairs.append((r["id"], fid, peer, rel))
    rows = []
    for rid, fid, peer, rel in pairs:
        ids = {rid}
        theirs = trivy_fired(fid) if peer == "trivy" else checkov_fired(fid)
        res = compare(population(peer, fid, ids), fired(ids), theirs)
        rows.append({"scope": "pair", "rules": [rid], "id": fid, "peer": peer, "relation": rel, **counts(res)})
    by_id = collections.defaultdict(set)
    for rid, fid, peer, rel in pairs:
        if rel == "equivalent":
            by_id[(fid, peer)].add(rid)
    for (fid, peer), ids in sorted(by_id.items()):
        if len(ids) < 2:
            continue
        theirs = trivy_fired(fid) if peer == "trivy" else checkov_fired(fid)
        res = compare(population(peer, fid, ids), fired(ids), theirs)
        rows.append({"scope": "union", "rules": sorted(ids), "id": fid, "peer": peer, "relation": "equivalent", **counts(res)})
    return rows, sorted(broken)


def counts(res):
    both, mine, theirs, neither, bad = res
    n = both + mine + theirs + neither
    return {"units": n, "both": both, "palisade_only": mine, "peer_only": theirs,
            "agreement": round(100.0 * (both + neither) / n, 1) if n else None,
            "examples": [f"{os.path.relpath(u[0], os.path.realpath(os.path.join(CORPUS, '..')))}#{u[1] + 1} ({w})" for u, w in bad[:3]]}


# ---------------------------------------------------------------- label comparisons (kept)

def label_of(name):
    if "FAILED" in name:
        return True
    if "PASSED" in name or "-pass" in name or "PASS." in name:
        return False
    return None


def label_rows(rules, labeled):
    ours, _ = palisade(labeled)
    by_file = collections.defaultdict(set)
    for (p, _), rids in ours.items():
        by_file[p] |= rids
    related = collections.defaultdict(set)  # foreign ID -> rules naming it in related
    for r in rules:
        for x in r.get("related", []):
            related[x].add(r["id"])
    rows = []

    def add(comp, check, res):
        agree = sum(1 for _, exp, got in res if exp == got)
        bad = [f"{os.path.relpath(f, labeled)} (expected {'fail' if e else 'pass'})" for f, e, g in res if e != g]
        rows.append({"comparison": comp, "id": check, "files": len(res), "agree": agree, "examples": bad[:4]})

    base = os.path.join(labeled, "bridgecrewio__checkov", "checks")
    for d, ckv in sorted(CHECKOV_DIRS.items(), key=lambda x: int(x[1].split("_")[-1])):
        if ckv not in related:
            continue
        res = []
        for fn in sorted(os.listdir(os.path.join(base, "example_" + d))):
            exp = label_of(fn)
            if exp is None:
                continue
            fp = os.path.realpath(os.path.join(base, "example_" + d, fn))
            res.append((fp, exp, bool(by_file.get(fp, set()) & related[ckv])))
        add("checkov-labels", ckv, res)
    kdir = os.path.join(labeled, "controlplaneio__kubesec", "test", "asset")
    per_rule = collections.defaultdict(list)
    for fn in sorted(os.listdir(kdir)):
        for pat, rule, exp in KUBESEC:
            if re.search(pat, fn) and rule in related:
                fp = os.path.realpath(os.path.join(kdir, fn))
                per_rule[rule].append((fp, exp, bool(by_file.get(fp, set()) & related[rule])))
    for rule, res in sorted(per_rule.items()):
        add("kubesec-labels", rule, res)
    return rows


# ---------------------------------------------------------------- output

def pct(x):
    return "n/a" if x is None else f"{x:.1f}%"


def failing(rows):
    """Rows that break the promise: an equivalent relation below the bar."""
    return [r for r in rows if r["relation"] == "equivalent" and r["agreement"] is not None and r["agreement"] < BAR]


def mapping_table(rules):
    lines = ["| Palisade rule | Equivalent (`related`) | Similar (`similar`), not equivalent |", "|---|---|---|"]
    for r in rules:
        sim = ", ".join(s["id"] for s in r.get("similar", []))
        lines.append(f"| {r['id']} {r['title']} | {', '.join(r.get('related', []))} | {sim} |")
    return "\n".join(lines)


def peer_table(rows):
    lines = ["| Palisade | foreign ID | peer | relation | units | both fire | Palisade only | peer only | agreement | examples of disagreement |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---|"]
    key = lambda r: (r["rules"][0] if r["scope"] == "pair" else "~", r["scope"], r["id"])
    for r in sorted(rows, key=key):
        flag = " **below bar**" if r in failing(rows) else ""
        who = " + ".join(r["rules"]) + (" (union)" if r["scope"] == "union" else "")
        lines.append(f"| {who} | {r['id']} | {r['peer']} | {r['relation']} | {r['units']} | {r['both']} | {r['palisade_only']} | "
                     f"{r['peer_only']} | {pct(r['agreement'])}{flag} | {'; '.join(r['examples'])} |")
    return "\n".join(lines)


def label_table(rows):
    lines = ["| comparison | check | files | agree | agreement | disagreements |", "|---|---|---:|---:|---:|---|"]
    for r in rows:
        a = 100.0 * r["agree"] / r["files"] if r["files"] else None
        lines.append(f"| {r['comparison']} | {r['id']} | {r['files']} | {r['agree']} | {pct(a)} | {'; '.join(r['examples'])} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="directory for (and of) the peers' JSON outputs")
    ap.add_argument("--out", help="write the generated part of docs/kube-agreement.md here")
    ap.add_argument("--json", help="write the per-ID results here (bench/kube/agreement.json)")
    ap.add_argument("--check", action="store_true", help="exit 1 when an equivalent relation is below 95%%")
    a = ap.parse_args()
    corpus = os.path.realpath(CORPUS)
    rules = [r for r in palisade_cli.rules() if r["family"] == "kubernetes"]
    roots = [("general", os.path.join(corpus, "general")), ("labeled", os.path.join(corpus, "labeled"))]
    if os.path.isdir(PROBES):
        roots.append(("probes", PROBES))
    rows, broken = peer_rows(rules, roots, a.cache)
    labels = label_rows(rules, os.path.join(corpus, "labeled"))
    bad = failing(rows)
    out = ["## Mapping (generated from `palisade rules --format json`)", "", mapping_table(rules), "",
           "## Peer runs, per object", "",
           f"Files Palisade cannot parse, left out ({len(broken)}): " + ", ".join(f"`{os.path.relpath(b, os.path.join(corpus, '..'))}`" for b in broken), "",
           peer_table(rows), "",
           f"Equivalent relations below {BAR:.0f}%: {len(bad)}.", "",
           "## Labelled fixtures", "", label_table(labels), ""]
    text = "\n".join(out)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    if a.json:
        slim = [{k: r[k] for k in ("scope", "rules", "id", "peer", "relation", "units", "both", "palisade_only", "peer_only", "agreement")} for r in rows]
        with open(a.json, "w") as f:
            json.dump({"bar": BAR, "rows": sorted(slim, key=lambda r: (r["rules"], r["id"]))}, f, indent=1)
            f.write("\n")
    return 1 if (a.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
