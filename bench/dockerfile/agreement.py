#!/usr/bin/env python3
"""Measures whether Palisade's Dockerfile rules are the same checks as the hadolint, Checkov and
Trivy checks they name, and writes docs/dockerfile-agreement.md.

Usage (from the repository root):
    python3 bench/dockerfile/agreement.py [--corpus ../shared/corpus] [--out docs/dockerfile-agreement.md] [--check]

Corpus runs: Trivy, hadolint and Checkov each run once over every corpus Dockerfile (outputs
cached in bench/out/dockerfile/, keyed by the file list); the unit is (file, foreign check) and
agreement = files where both fire / files where either fires. A rule's `related` IDs must reach
95% (`--check` exits 1 otherwise); `partial` IDs are measured and shown, not held to it.
Labelled cases: the peers' own fixtures, agreement = cases matching the label / cases.

The corpus is read at run time only; nothing from it is copied into the repository.
Palisade runs as shipped: every case is written to its own directory as a `Dockerfile` and all
of them are checked by one `palisade config DIR -f json` run.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BAR = 95.0
sys.path.insert(0, str(REPO / "bench"))
import palisade_cli  # noqa: E402
PEERS = Path(os.environ.get("PALISADE_PEERS", os.path.expanduser("~/.cache/palisade-peers/bin")))

# Checkov fixture directory names -> check IDs (checkov --list --framework dockerfile).
CHECKOV_IDS = {
    "ExposePort22": "CKV_DOCKER_1", "HealthcheckExists": "CKV_DOCKER_2", "UserExists": "CKV_DOCKER_3",
    "AddExists": "CKV_DOCKER_4", "UpdateNotAlone": "CKV_DOCKER_5", "MaintainerExists": "CKV_DOCKER_6",
    "ReferenceLatestTag": "CKV_DOCKER_7", "RootUser": "CKV_DOCKER_8", "RunUsingAPT": "CKV_DOCKER_9",
    "WorkdirIsAbsolute": "CKV_DOCKER_10", "AliasIsUnique": "CKV_DOCKER_11",
    "RunUsingSudo": "CKV2_DOCKER_1", "RunUnsafeCurl": "CKV2_DOCKER_2", "RunUnsafeWget": "CKV2_DOCKER_3",
    "RunPipTrustedHost": "CKV2_DOCKER_4", "EnvPythonHttpsVerify": "CKV2_DOCKER_5",
    "EnvNodeTlsRejectUnauthorized": "CKV2_DOCKER_6", "RunApkAllowUntrusted": "CKV2_DOCKER_7",
    "RunAptGetAllowUnauthenticated": "CKV2_DOCKER_8", "RunYumNoGpgCheck": "CKV2_DOCKER_9",
    "RunRpmNoSignature": "CKV2_DOCKER_10", "RunAptGetForceYes": "CKV2_DOCKER_11",
    "EnvNpmConfigStrictSsl": "CKV2_DOCKER_12", "RunNpmConfigSetStrictSsl": "CKV2_DOCKER_13",
    "EnvGitSslNoVerify": "CKV2_DOCKER_14", "RunYumConfigManagerSslVerify": "CKV2_DOCKER_15",
    "EnvPipTrustedHost": "CKV2_DOCKER_16", "RunChpasswd": "CKV2_DOCKER_17",
}

NOT_DOCKERFILES = {".yaml", ".yml", ".golden", ".jsonl", ".tsv", ".json", ".md"}


def run_palisade(items):
    """items: list of (id, content) -> {id: {"rules", "related", "errors"}}, from the CLI."""
    return palisade_cli.config_snippets(items)


def onbuild(src):
    """hadolint's ONBUILD variant of a test: every instruction except FROM becomes a trigger."""
    out, cont = [], False
    for line in src.split("\n"):
        s = line.strip()
        starts = not cont and s and not s.startswith("#")
        if starts and not s.upper().startswith("FROM"):
            line = "ONBUILD " + line.lstrip()
        out.append(line)
        cont = s.endswith("\\")
    return "\n".join(out)


def pct(a, n):
    return f"{100.0 * a / n:.1f}%" if n else "n/a"


def hadolint_agreement(corpus, mapped):
    cases = [json.loads(l) for l in open(corpus / "dockerfiles/labeled/hadolint__hadolint/rule-cases.jsonl")]
    items, meta = [], {}
    skipped_config = 0
    for n, c in enumerate(cases):
        if c["config"]:
            skipped_config += 1
            continue
        src = onbuild(c["dockerfile"]) if c["onbuild"] else c["dockerfile"]
        items.append((n, src))
        meta[n] = c
    res = run_palisade(items)
    per = defaultdict(lambda: [0, 0, []])
    for n, c in meta.items():
        rule = c["rule"]
        if rule not in mapped:
            continue
        fired = rule in res[n]["related"]
        want = c["expect"] == "catches"
        per[rule][1] += 1
        if fired == want:
            per[rule][0] += 1
        else:
            per[rule][2].append((c["it"], want, c["onbuild"]))
    return per, skipped_config, len(cases)


def checkov_cases(corpus):
    base = corpus / "dockerfiles/labeled/bridgecrewio__checkov"
    cases = []
    for f in sorted(base.rglob("*")):
        if not f.is_file() or f.suffix in NOT_DOCKERFILES:
            continue
        rel = f.relative_to(base).parts
        if rel[0] == "checks":
            name, variant = rel[1].removeprefix("example_"), rel[2]
        else:
            name, variant = rel[3], rel[4]
        want = variant.startswith("fail")
        cases.append((CHECKOV_IDS[name], want, str(f.relative_to(base)), f.read_bytes()))
    return cases


def checkov_agreement(corpus, mapped):
    cases = checkov_cases(corpus)
    res = run_palisade([(i, c[3]) for i, c in enumerate(cases)])
    per = defaultdict(lambda: [0, 0, []])
    for i, (cid, want, path, _) in enumerate(cases):
        if cid not in mapped:
            continue
        fired = cid in res[i]["related"]
        per[cid][1] += 1
        if fired == want:
            per[cid][0] += 1
        else:
            per[cid][2].append((path, want, False))
    return per


def trivy_golden(corpus, mapped):
    base = corpus / "dockerfiles/labeled/aquasecurity__trivy/integration/testdata"
    golden = json.load(open(base / "dockerfile.json.golden"))
    src = (base / "fixtures/repo/dockerfile/Dockerfile").read_bytes()
    failed = {m["ID"] for r in golden["Results"] for m in r.get("Misconfigurations", [])}
    fired = set(run_palisade([(0, src)])[0]["related"])
    per = {}
    for ds in sorted(x for x in mapped if x.startswith("DS-")):
        want = ds in failed
        per[ds] = [int((ds in fired) == want), 1, [] if (ds in fired) == want else [("golden fixture", want, False)]]
    return per


def corpus_dockerfiles(corpus):
    base = corpus / "dockerfiles"
    return [f for f in sorted(base.rglob("*")) if f.is_file() and f.suffix not in NOT_DOCKERFILES]


CACHE = REPO / "bench" / "out" / "dockerfile"


def cached(name, files, run):
    """The peer's JSON for this file list from bench/out/dockerfile/NAME.json, else run(files).

    The cache is keyed by the list of corpus paths, so a changed corpus reruns the peer."""
    path = CACHE / f"{name}.json"
    key = [str(f) for f in files]
    if path.exists():
        data = json.loads(path.read_text())
        if data.get("files") == key:
            return data["output"]
    out = run(files)
    if out is not None:
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"files": key, "output": out}))
    return out


def as_tree(files, tmp):
    """Lays each file out as fNNNN/Dockerfile (Trivy and Checkov find Dockerfiles by name)."""
    for n, f in enumerate(files):
        d = Path(tmp) / f"f{n:04d}"
        d.mkdir()
        shutil.copyfile(f, d / "Dockerfile")


def run_trivy(files):
    with tempfile.TemporaryDirectory() as tmp:
        as_tree(files, tmp)
        out = subprocess.run([str(PEERS / "trivy"), "fs", "--offline-scan", "--skip-db-update", "--skip-check-update",
                              "--cache-backend", "memory", "--scanners", "misconfig", "--format", "json", "--quiet", tmp],
                             capture_output=True, text=True)
    if out.returncode != 0:
        print("trivy failed:", out.stderr[-2000:], file=sys.stderr)
        return None
    fired = defaultdict(list)
    for r in json.loads(out.stdout).get("Results", []):
        for m in r.get("Misconfigurations", []):
            if m.get("Status", "FAIL") == "FAIL":
                fired[int(r["Target"][1:5])].append(m["ID"])
    return {str(n): ids for n, ids in fired.items()}


def run_checkov(files):
    with tempfile.TemporaryDirectory() as tmp:
        as_tree(files, tmp)
        # Not --quiet, which drops passed checks; only the failed ones are read here.
        out = subprocess.run([str(PEERS / "checkov"), "-d", tmp, "--framework", "dockerfile", "-o", "json",
                              "--compact", "--skip-download"], capture_output=True, text=True)
    try:
        data = json.loads(out.stdout)
    except json.JSONDecodeError:
        print("checkov output is not JSON:", out.stderr[-2000:], file=sys.stderr)
        return None
    fired = defaultdict(list)
    for rep in data if isinstance(data, list) else [data]:
        for c in rep["results"].get("failed_checks", []):
            fired[int(c["file_path"].lstrip("/")[1:5])].append(c["check_id"])
    return {str(n): ids for n, ids in fired.items()}


def run_hadolint(files):
    out = subprocess.run([str(PEERS / "hadolint"), "--no-fail", "-f", "json"] + [str(f) for f in files],
                         capture_output=True, text=True)
    try:
        report = json.loads(out.stdout or "[]")
    except json.JSONDecodeError:
        print("hadolint output is not JSON:", out.stderr[-2000:], file=sys.stderr)
        return None
    index = {str(f): n for n, f in enumerate(files)}
    fired = defaultdict(list)
    for r in report:
        n = index.get(r.get("file"))
        if n is not None:
            fired[n].append(r.get("code"))
    return {str(n): ids for n, ids in fired.items()}


PEER_RUNS = {"trivy": (run_trivy, "DS-"), "hadolint": (run_hadolint, "DL"), "checkov": (run_checkov, "CKV")}


def corpus_runs(corpus, relations):
    """Each peer run once over every corpus Dockerfile, against one Palisade run.

    relations: {(foreign ID, "equivalent"|"partial"): {Palisade rule IDs}}. Returns
    {peer: ({(fid, relation): counts}, files left out)}; a file is one unit per check."""
    files = corpus_dockerfiles(corpus)
    ours = run_palisade([(n, f.read_bytes()) for n, f in enumerate(files)])
    out = {}
    for peer, (run, prefix) in PEER_RUNS.items():
        if not (PEERS / peer).exists():
            continue
        fired = cached(peer, files, run)
        if fired is None:
            continue
        fired = {int(n): set(ids) for n, ids in fired.items()}
        # Files the peer cannot parse say nothing about the check (hadolint: DL1000).
        left_out = {n for n, ids in fired.items() if "DL1000" in ids}
        per = {}
        for (fid, rel), rids in sorted(relations.items()):
            if not fid.startswith(prefix):
                continue
            c = {"both": 0, "ours": [], "theirs": [], "n": 0}
            for n, f in enumerate(files):
                if n in left_out:
                    continue
                a, b = bool(set(ours[n]["rules"]) & rids), fid in fired.get(n, set())
                c["n"] += 1
                name = str(f.relative_to(corpus / "dockerfiles"))
                if a and b:
                    c["both"] += 1
                elif a:
                    c["ours"].append(name)
                elif b:
                    c["theirs"].append(name)
            per[(fid, rel)] = c
        out[peer] = (per, [str(files[n].relative_to(corpus / "dockerfiles")) for n in sorted(left_out)])
    return out


def jaccard(c):
    either = c["both"] + len(c["ours"]) + len(c["theirs"])
    return (100.0 * c["both"] / either if either else None), either


def run_table(per, relations):
    lines = ["| Foreign check | relation | Palisade rule(s) | files | either fires | both | Palisade only | peer only | agreement (both / either) |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for (fid, rel) in sorted(per, key=lambda k: (k[1], len(k[0]), k[0])):
        c = per[(fid, rel)]
        j, either = jaccard(c)
        flag = " **below bar**" if rel == "equivalent" and j is not None and j < BAR else ""
        lines.append(f"| {fid} | {rel} | {', '.join(sorted(relations[(fid, rel)]))} | {c['n']} | {either} | {c['both']} | "
                     f"{len(c['ours'])} | {len(c['theirs'])} | {'n/a' if j is None else f'{j:.1f}%'}{flag} |")
    return "\n".join(lines)


def run_misses(per, limit=6):
    out = []
    for (fid, rel), c in sorted(per.items()):
        for what, who in [(x, "Palisade only") for x in c["ours"][:limit]] + [(x, "peer only") for x in c["theirs"][:limit]]:
            out.append(f"- {fid} ({rel}): `{what}`: {who}")
        more = len(c["ours"]) + len(c["theirs"]) - min(len(c["ours"]), limit) - min(len(c["theirs"]), limit)
        if more > 0:
            out.append(f"- {fid} ({rel}): … {more} more")
    return "\n".join(out) or "- none"


def parse_check(corpus):
    files = corpus_dockerfiles(corpus)
    res = run_palisade([(n, f.read_bytes()) for n, f in enumerate(files)])
    bad = [(str(files[n].relative_to(corpus / "dockerfiles")), r["errors"]) for n, r in res.items() if r["errors"]]
    return len(files), bad


def table(per, rules_for, title_for):
    lines = ["| Foreign check | Palisade rule(s) | Cases | Agree | Agreement |", "|---|---|---:|---:|---:|"]
    for fid in sorted(per, key=lambda x: (len(x), x)):
        ok, n, _ = per[fid]
        lines.append(f"| {fid} | {', '.join(rules_for[fid])} | {n} | {ok} | {pct(ok, n)} |")
    return "\n".join(lines)


def misses(per, limit=40):
    out = []
    for fid in sorted(per):
        for what, want, ob in per[fid][2][:limit]:
            out.append(f"- {fid}: `{what}`{' (ONBUILD variant)' if ob else ''}: expected {'fire' if want else 'silence'}")
    return "\n".join(out) or "- none"


def summary(per):
    ok = sum(v[0] for v in per.values())
    n = sum(v[1] for v in per.values())
    worst = min((v[0] / v[1], k) for k, v in per.items() if v[1]) if per else (1, "-")
    return ok, n, worst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(REPO.parent / "shared/corpus"))
    ap.add_argument("--out", default=str(REPO / "docs/dockerfile-agreement.md"))
    ap.add_argument("--check", action="store_true", help="exit 1 when an equivalent ID is below 95%% on a corpus run")
    a = ap.parse_args()
    corpus = Path(a.corpus)
    rules = [r for r in palisade_cli.rules() if r["family"] == "dockerfile"]
    rules_for = defaultdict(list)
    relations = defaultdict(set)
    for r in rules:
        for x in r["related"]:
            rules_for[x].append(r["id"])
            relations[(x, "equivalent")].add(r["id"])
        for x in r.get("partial", []):
            relations[(x["id"], "partial")].add(r["id"])
    mapped = set(rules_for)

    had, skipped, total = hadolint_agreement(corpus, mapped)
    ckv = checkov_agreement(corpus, mapped)
    gold = trivy_golden(corpus, mapped)
    runs = corpus_runs(corpus, relations)
    nfiles, bad = parse_check(corpus)

    doc = ["# Dockerfile rules: agreement with hadolint, Checkov and Trivy", "",
           "Generated by `python3 bench/dockerfile/agreement.py` (builds the release CLI if needed; peer outputs are "
           "cached in `bench/out/dockerfile/`, keyed by the corpus file list). Palisade runs as shipped: each case is "
           "written to its own directory as `Dockerfile` and one `palisade config DIR -f json` run checks them all; "
           "findings are mapped back by path. Corpus: `../shared/corpus/dockerfiles`, read at run time.", "",
           "A rule's `related` IDs claim the same check; its `partial` IDs name a check about the same concern that "
           "differs, with a note (`palisade rules ID`, `docs/rules/`). Palisade fires a foreign ID when any rule naming "
           "it (under that relation) fires: some foreign checks are split over two rules.", "",
           "**Corpus runs** (first): every peer runs over every corpus Dockerfile. The unit is (file, check); "
           "agreement = files where both fire / files where either fires, so files where neither fires do not "
           "count. Every `related` ID must reach 95% against each peer that has it (`--check`).", "",
           "**Labelled cases** (after): the peers' own test fixtures; there agreement = cases where Palisade's "
           "verdict equals the label / cases.", ""]
    versions = {}
    for peer in runs:
        v = subprocess.run([str(PEERS / peer), "--version"], capture_output=True, text=True).stdout.strip()
        versions[peer] = v.splitlines()[0] if v else "unknown version"
    doc += ["## Summary (corpus runs)", "",
            "| peer | version | `related` IDs with a figure | lowest | below 95% | `related` IDs the corpus never fires (n/a) | `partial` IDs |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for peer, (per, _) in runs.items():
        eq = [jaccard(c)[0] for (fid, rel), c in per.items() if rel == "equivalent"]
        got = [j for j in eq if j is not None]
        doc.append(f"| {peer} | {versions[peer]} | {len(got)} | {f'{min(got):.1f}%' if got else 'n/a'} | "
                   f"{sum(1 for j in got if j < BAR)} | {len(eq) - len(got)} | {sum(1 for k in per if k[1] == 'partial')} |")
    doc += ["", "An ID the corpus never fires has no corpus figure; the labelled cases below exercise most of them.", ""]
    below = []
    for peer, (per, left_out) in runs.items():
        below += [(peer, fid, jaccard(c)[0]) for (fid, rel), c in per.items()
                  if rel == "equivalent" and jaccard(c)[0] is not None and jaccard(c)[0] < BAR]
        cmd = {"trivy": "trivy fs --offline-scan --skip-db-update --skip-check-update --cache-backend memory --scanners misconfig -f json TREE",
               "hadolint": "hadolint --no-fail -f json FILES...",
               "checkov": "checkov -d TREE --framework dockerfile -o json --compact --skip-download"}[peer]
        doc += [f"## {peer} run on every corpus Dockerfile", "",
                f"`{cmd}` (TREE holds each corpus file as `fNNNN/Dockerfile`)."
                + (f" Left out, the peer cannot parse them: {', '.join(f'`{x}`' for x in left_out)}." if left_out else ""), "",
                run_table(per, relations), "", "<details><summary>Disagreements</summary>", "", run_misses(per), "", "</details>", ""]
    doc += [f"Equivalent IDs below {BAR:.0f}% on a corpus run: {len(below)}"
            + (": " + ", ".join(f"{f} ({p}, {j:.1f}%)" for p, f, j in below) if below else "") + ".", ""]
    sections = [
        ("hadolint rule test cases (`labeled/hadolint__hadolint/rule-cases.jsonl`)", had,
         f"{total} cases; {skipped} need a hadolint config (allowed registries, label schemas) and are skipped; "
         "cases marked `onbuild` are run with every non-FROM instruction wrapped in ONBUILD, as hadolint's own tests do. "
         "Only hadolint rules named in `related` are listed."),
        ("Checkov fixtures (`labeled/bridgecrewio__checkov`, one case per file, `fail*`/`failure*` must fire)", ckv, ""),
        ("Trivy golden report (`labeled/aquasecurity__trivy/integration/testdata/dockerfile.json.golden`)", gold,
         "One fixture; Trivy reports DS-0002 failed and its other checks passed."),
    ]
    for name, per, note in sections:
        ok, n, worst = summary(per)
        doc += [f"## {name}", "", note, "", f"Overall: {ok}/{n} ({pct(ok, n)}); lowest: {worst[1]} at {100 * worst[0]:.1f}%.", "",
                table(per, rules_for, None), "", "<details><summary>Disagreements</summary>", "", misses(per), "", "</details>", ""]
    doc += ["## Parsing", "", f"{nfiles} Dockerfiles under `corpus/dockerfiles/`; {nfiles - len(bad)} parse without error.", ""]
    for path, errs in bad:
        doc.append(f"- `{path}`: {'; '.join(errs)} (BuildKit rejects this file too: a stray `~` line left by an editor)"
                   if any('"~"' in e for e in errs) else f"- `{path}`: {'; '.join(errs)}")
    doc.append("")
    Path(a.out).write_text("\n".join(doc))
    print(f"wrote {a.out}")
    for peer, (per, _) in runs.items():
        for (fid, rel), c in sorted(per.items()):
            j, either = jaccard(c)
            print(f"{peer:9} {rel:10} {fid:14} either {either:4} both {c['both']:4} ours-only {len(c['ours']):4} "
                  f"theirs-only {len(c['theirs']):4} {'n/a' if j is None else f'{j:.1f}%'}")
    for name, per in [("hadolint-labels", had), ("checkov-labels", ckv), ("trivy-golden", gold)]:
        ok, n, worst = summary(per)
        print(f"{name}: {ok}/{n} ({pct(ok, n)}), lowest {worst[1]} {100 * worst[0]:.1f}%")
    print(f"parse: {nfiles - len(bad)}/{nfiles} clean")
    print(f"equivalent IDs below {BAR:.0f}%: {len(below)}")
    return 1 if (a.check and below) else 0


if __name__ == "__main__":
    sys.exit(main())
