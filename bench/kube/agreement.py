#!/usr/bin/env python3
"""Whether each Kubernetes rule is the same check as the foreign checks it names.

A rule's `related` IDs promise equivalence (`--ignore KSV-0017` and `palisade rules
CKV_K8S_16` use them); its `partial` IDs name checks about the same concern that differ, each
with a note saying how. This script runs the peers and Palisade over the corpus and measures
both, so the promise is a measured one.

Reads the corpus at run time (never copied into the repo):
  ../shared/corpus/k8s/{general,labeled}  (override the root with CORPUS=...)

Peer comparison, one unit per (file, object, check): an object is a YAML document of a file (a
`List` document counts as one object). Both tools' verdicts are mapped to objects by line:
  - Trivy: `trivy config --skip-check-update --include-non-failures -f json DIR`; a FAIL with a
    start line fails the document holding that line (a FAIL without a line is placed by the
    object name its message quotes).
  - Checkov: `checkov -d DIR --framework kubernetes -o json` (not --quiet: it drops passed
    checks, and the file list); a failed check fails the document holding its first line.
  - Palisade: `palisade config DIR -f json`; a finding fires its rule on the document holding
    its start line.
Only files both tools evaluated count: files Palisade reports as unparseable (helm templates,
broken YAML) and files the peer skipped are listed and left out. The question is whether the
checks are the same, not parser coverage.

Agreement of a foreign ID = objects where both fire / objects where either fires (Jaccard);
objects where neither fires do not count, so thousands of quiet objects cannot hide a
disagreement. Palisade "fires" a foreign ID when any rule naming it fires: per relation
(`related` or `partial`) over the union of the rules that name it (Palisade splits some foreign
checks in two). Every ID in `related` must reach 95% against its peer; `--check` exits 1
otherwise. An ID that neither tool fires on the corpus has no figure ("n/a").

Label comparisons ("checkov-labels", "kubesec-labels"): the PASSED/FAILED names of Checkov's
fixtures and kubesec's fixture names, per file, for the IDs in `related`.

Usage: bench/kube/agreement.py [--cache DIR] [--out FILE] [--json FILE] [--check]
--cache DIR keeps (and reuses) the peers' JSON outputs there (bench/out/kube).
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
    """({unit: {IDs failed}}, {files Trivy evaluated}, {units it failed any check on})."""
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
    # Trivy prints one PASS per file and check, so the objects it looked at are known only
    # through its failures.
    return failed, files, set(failed)


def checkov(root, cache, tag):
    """({unit: {IDs failed}}, {files Checkov evaluated}, {units it gave any verdict on})."""
    data = cached_json(cache, f"checkov-{tag}.json", [
        os.path.join(PEERS, "checkov"), "-d", root, "--framework", "kubernetes", "-o", "json",
        "--compact", "--skip-download"])
    reps = data if isinstance(data, list) else [data]
    failed = collections.defaultdict(set)
    files, seen = set(), set()
    for rep in reps:
        for kind in ("passed_checks", "failed_checks"):
            for c in rep["results"].get(kind, []):
                p = os.path.realpath(os.path.join(root, c["file_path"].lstrip("/")))
                files.add(p)
                u = (p, doc(p).at(c["file_line_range"][0]))
                seen.add(u)
                if kind == "failed_checks":
                    failed[u].add(c["check_id"])
    return failed, files, seen


# ---------------------------------------------------------------- comparison

def peer_of(fid):
    if fid.startswith("KSV-"):
        return "trivy"
    if fid.startswith("CKV_K8S_") or fid.startswith("CKV2_K8S_"):
        return "checkov"
    return None


def relations(rules):
    """{(foreign ID, relation): {rule IDs}} for the IDs a peer here runs."""
    out = collections.defaultdict(set)
    for r in rules:
        named = [(x, "equivalent") for x in r.get("related", [])]
        named += [(x["id"], "partial") for x in r.get("partial", [])]
        for fid, rel in named:
            if peer_of(fid):
                out[(fid, rel)].add(r["id"])
    return out


def identity(u):
    d = doc(u[0])
    return d.kinds[u[1]], d.names[u[1]]


def left_out_reason(u, broken, files, dup):
    """Why an object is not compared (None when it is): see the module docstring."""
    if u[0] in broken:
        return "Palisade cannot parse the file"
    if u[0] not in files:
        return "the peer cannot parse the file (Trivy), or neither peer reads it (Checkov)"
    if identity(u)[1] is None:
        return "no metadata.name (the API server rejects it; Trivy skips it)"
    if u in dup:
        return "kind and name repeat within the file (Checkov reports one of them)"
    return None


def duplicates(units):
    """Objects whose (kind, name) occurs twice in one file."""
    count = collections.Counter((u[0],) + identity(u) for u in units)
    return {u for u in units if count[(u[0],) + identity(u)] > 1}


def peer_rows(rules, roots, cache):
    ours, broken = {}, set()
    peer = {"trivy": ({}, set(), set()), "checkov": ({}, set(), set())}
    for tag, root in roots:
        f, b = palisade(root)
        ours.update(f)
        broken |= b
        for name, run in (("trivy", trivy), ("checkov", checkov)):
            failed, files, seen = run(root, cache, tag)
            peer[name][0].update(failed)
            peer[name][1].update(files)
            peer[name][2].update(seen)
    every = set(ours)
    for failed, _, seen in peer.values():
        every |= set(failed) | seen
    dup = duplicates(every)
    # Which files say something about a check. Trivy lists every Kubernetes file it parses
    # (with --include-non-failures), so a file it does not list is one it cannot parse (a
    # duplicate mapping key, a template): left out of its rows. Checkov reports no parse errors
    # on the corpus and lists only files holding objects it has checks for, so a file it skips
    # but Trivy reads holds objects outside its checks, a real difference, and counts.
    read = {"trivy": peer["trivy"][1], "checkov": peer["trivy"][1] | peer["checkov"][1]}
    left_out = {name: collections.Counter() for name in peer}
    rows = []
    for (fid, rel), rids in sorted(relations(rules).items()):
        name = peer_of(fid)
        failed, files, seen = peer[name]
        both, only_ours, only_theirs = [], [], []
        units = {u for u, ids in ours.items() if ids & rids} | {u for u, ids in failed.items() if fid in ids}
        for u in sorted(units):
            why = left_out_reason(u, broken, read[name], dup)
            if why:
                left_out[name][why] += 1
                continue
            a, b = bool(ours.get(u, set()) & rids), fid in failed.get(u, set())
            (both if a and b else only_ours if a else only_theirs).append(u)
        n = len(both) + len(only_ours) + len(only_theirs)
        rows.append({"rules": sorted(rids), "id": fid, "peer": name, "relation": rel,
                     "either": n, "both": len(both), "palisade_only": len(only_ours),
                     "peer_only": len(only_theirs),
                     "agreement": round(100.0 * len(both) / n, 1) if n else None,
                     "examples": [f"{rel_path(u[0])}#{u[1] + 1} (Palisade only)" for u in only_ours[:2]]
                     + [f"{rel_path(u[0])}#{u[1] + 1} (peer only)" for u in only_theirs[:2]]})
    return rows, sorted(broken), left_out


def rel_path(p):
    return os.path.relpath(p, os.path.realpath(CORPUS))


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
    lines = ["| Palisade rule | Equivalent (`related`) | Partial (`partial`): same concern, not the same check |", "|---|---|---|"]
    for r in rules:
        part = "<br>".join(f"{x['id']}: {x['note']}" for x in r.get("partial", []))
        lines.append(f"| {r['id']} {r['title']} | {', '.join(r.get('related', []))} | {part} |")
    return "\n".join(lines)


def peer_table(rows):
    lines = ["| foreign ID | peer | relation | Palisade rules | either fires | both | Palisade only | peer only | agreement | examples of disagreement |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---|"]
    bad = failing(rows)
    for r in sorted(rows, key=lambda r: (r["peer"], r["relation"], id_key(r["id"]))):
        flag = " **below bar**" if r in bad else ""
        lines.append(f"| {r['id']} | {r['peer']} | {r['relation']} | {', '.join(r['rules'])} | {r['either']} | {r['both']} | "
                     f"{r['palisade_only']} | {r['peer_only']} | {pct(r['agreement'])}{flag} | {'; '.join(r['examples'])} |")
    return "\n".join(lines)


def id_key(fid):
    """KSV-0002 before KSV-0010, CKV_K8S_8 before CKV_K8S_10."""
    m = re.search(r"(\d+)$", fid)
    return (fid[: m.start()] if m else fid, int(m.group(1)) if m else 0)


def label_table(rows):
    lines = ["| comparison | check | files | agree | agreement | disagreements |", "|---|---|---:|---:|---:|---|"]
    for r in rows:
        a = 100.0 * r["agree"] / r["files"] if r["files"] else None
        lines.append(f"| {r['comparison']} | {r['id']} | {r['files']} | {r['agree']} | {pct(a)} | {'; '.join(r['examples'])} |")
    return "\n".join(lines)


BEGIN, END = "<!-- generated by bench/kube/agreement.py: do not edit below -->", "<!-- end of generated part -->"


def write_generated(path, text):
    """Replaces the generated part of PATH (between the markers) or writes PATH whole."""
    old = open(path).read() if os.path.exists(path) else ""
    if BEGIN in old and END in old:
        text = old[: old.index(BEGIN)] + BEGIN + "\n\n" + text + "\n" + END + old[old.index(END) + len(END):]
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="directory for (and of) the peers' JSON outputs")
    ap.add_argument("--out", help="file for the tables; in a file with the generated-part markers "
                    "(docs/kube-agreement.md) only that part is replaced")
    ap.add_argument("--json", help="write the per-ID results here")
    ap.add_argument("--check", action="store_true", help="exit 1 when an equivalent relation is below 95%%")
    a = ap.parse_args()
    corpus = os.path.realpath(CORPUS)
    rules = [r for r in palisade_cli.rules() if r["family"] == "kubernetes"]
    roots = [("general", os.path.join(corpus, "general")), ("labeled", os.path.join(corpus, "labeled"))]
    rows, broken, skipped = peer_rows(rules, roots, a.cache)
    # Probes are measured apart: the bar is about the public corpus, the probes only show
    # what the corpus never exercises.
    probe_rows, _, _ = peer_rows(rules, [("probes", PROBES)], None)  # small: never cached
    probe_rows = [r for r in probe_rows if r["either"]]
    for r in probe_rows:
        r["examples"] = [e.replace(os.path.relpath(PROBES, os.path.realpath(CORPUS)), "probes") for e in r["examples"]]
    labels = label_rows(rules, os.path.join(corpus, "labeled"))
    bad = failing(rows)
    eq = [r for r in rows if r["relation"] == "equivalent" and r["agreement"] is not None]
    out = ["## Mapping (generated from `palisade rules --format json`)", "", mapping_table(rules), "",
           "## Peer runs, per object", "",
           f"Equivalent IDs measured: {len(eq)}; below {BAR:.0f}%: {len(bad)}"
           + (f"; lowest: {min(r['agreement'] for r in eq):.1f}%." if eq else "."), "",
           peer_table(rows), "",
           f"Files Palisade cannot parse ({len(broken)}): " + ", ".join(f"`{rel_path(b)}`" for b in broken), "",
           "Firing objects left out of the rows above, summed over the rows (an object counts once per row):", ""]
    for name, why in sorted(skipped.items()):
        out += [f"- {name}: " + "; ".join(f"{r}: {n}" for r, n in why.most_common())]
    out += [""]
    out += ["## Probe manifests (`bench/kube/probes/`, written for this measurement)", "",
            "Rows with a firing only; not part of the figures above.", "", peer_table(probe_rows), "",
            "## Labelled fixtures", "", label_table(labels), ""]
    text = "\n".join(out)
    print(text)
    if a.out:
        write_generated(a.out, text)
    if a.json:
        slim = [{k: r[k] for k in ("rules", "id", "peer", "relation", "either", "both", "palisade_only", "peer_only", "agreement")} for r in rows]
        with open(a.json, "w") as f:
            json.dump({"bar": BAR, "rows": slim}, f, indent=1)
            f.write("\n")
    return 1 if (a.check and bad) else 0


if __name__ == "__main__":
    sys.exit(main())
