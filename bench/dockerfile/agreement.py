#!/usr/bin/env python3
"""Measures how often Palisade's Dockerfile rules agree with hadolint, Checkov and Trivy on
their own labelled test cases, checks that every corpus Dockerfile parses, and writes
docs/dockerfile-agreement.md.

Usage (from the repository root):
    python3 bench/dockerfile/agreement.py [--corpus ../shared/corpus] [--out docs/dockerfile-agreement.md]

The corpus is read at run time only; nothing from it is copied into the repository.
A foreign check "fires" for Palisade when any Palisade rule that lists the foreign ID in
`related` fires. Palisade runs as shipped: every case is written to its own directory as a
`Dockerfile` and all of them are checked by one `palisade config DIR -f json` run.
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


def trivy_oracle(corpus, mapped):
    """Runs Trivy itself over every corpus Dockerfile and compares per DS check and file."""
    trivy = PEERS / "trivy"
    if not trivy.exists():
        return None
    files = corpus_dockerfiles(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for n, f in enumerate(files):
            d = Path(tmp) / f"f{n:04d}"
            d.mkdir()
            shutil.copyfile(f, d / "Dockerfile")
            names[f"f{n:04d}/Dockerfile"] = n
        out = subprocess.run([str(trivy), "fs", "--offline-scan", "--skip-db-update", "--skip-check-update",
                              "--cache-backend", "memory", "--scanners", "misconfig", "--format", "json", "--quiet", tmp],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print("trivy failed:", out.stderr[-2000:], file=sys.stderr)
            return None
        report = json.loads(out.stdout)
    trivy_fired = defaultdict(set)
    for r in report.get("Results", []):
        n = names.get(r["Target"])
        if n is None:
            continue
        for m in r.get("Misconfigurations", []):
            if m.get("Status", "FAIL") == "FAIL":
                trivy_fired[n].add(m["ID"])
    res = run_palisade([(n, f.read_bytes()) for n, f in enumerate(files)])
    per = defaultdict(lambda: [0, 0, []])
    for n, f in enumerate(files):
        ours = set(res[n]["related"])
        for ds in sorted(x for x in mapped if x.startswith("DS-")):
            want = ds in trivy_fired[n]
            per[ds][1] += 1
            if (ds in ours) == want:
                per[ds][0] += 1
            else:
                per[ds][2].append((str(f.relative_to(corpus / "dockerfiles")), want, False))
    return per


def hadolint_oracle(corpus, mapped):
    """Runs hadolint itself over every corpus Dockerfile and compares per DL rule and file."""
    hadolint = PEERS / "hadolint"
    if not hadolint.exists():
        return None
    files = corpus_dockerfiles(corpus)
    out = subprocess.run([str(hadolint), "--no-fail", "-f", "json"] + [str(f) for f in files],
                         capture_output=True, text=True)
    try:
        report = json.loads(out.stdout or "[]")
    except json.JSONDecodeError:
        print("hadolint output is not JSON:", out.stderr[-2000:], file=sys.stderr)
        return None
    index = {str(f): n for n, f in enumerate(files)}
    fired = defaultdict(set)
    failed_parse = set()
    for r in report:
        n = index.get(r.get("file"))
        if n is None:
            continue
        if r.get("code") == "DL1000":
            failed_parse.add(n)
        fired[n].add(r.get("code"))
    res = run_palisade([(n, f.read_bytes()) for n, f in enumerate(files)])
    per = defaultdict(lambda: [0, 0, []])
    for n, f in enumerate(files):
        if n in failed_parse:
            continue
        ours = set(res[n]["related"])
        for dl in sorted(x for x in mapped if x.startswith("DL")):
            want = dl in fired[n]
            per[dl][1] += 1
            if (dl in ours) == want:
                per[dl][0] += 1
            else:
                per[dl][2].append((str(f.relative_to(corpus / "dockerfiles")), want, False))
    return per, len(failed_parse)


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
    a = ap.parse_args()
    corpus = Path(a.corpus)
    rules = palisade_cli.rules()
    rules_for = defaultdict(list)
    for r in rules:
        if r["family"] == "dockerfile":
            for x in r["related"]:
                rules_for[x].append(r["id"])
    mapped = set(rules_for)

    had, skipped, total = hadolint_agreement(corpus, mapped)
    ckv = checkov_agreement(corpus, mapped)
    gold = trivy_golden(corpus, mapped)
    oracle = trivy_oracle(corpus, mapped)
    horacle, hparse = hadolint_oracle(corpus, mapped) or (None, 0)
    nfiles, bad = parse_check(corpus)

    doc = ["# Dockerfile rules: agreement with hadolint, Checkov and Trivy", "",
           "Generated by `python3 bench/dockerfile/agreement.py` (builds the release CLI if needed). "
           "Palisade runs as shipped: each case is written to its own directory as `Dockerfile` and one "
           "`palisade config DIR -f json` run checks them all; findings are mapped back by path. "
           "A foreign check counts as fired when any Palisade rule naming it in `related` fires. "
           "Corpus: `../shared/corpus/dockerfiles`, read at run time.", ""]
    sections = [
        ("hadolint rule test cases (`labeled/hadolint__hadolint/rule-cases.jsonl`)", had,
         f"{total} cases; {skipped} need a hadolint config (allowed registries, label schemas) and are skipped; "
         "cases marked `onbuild` are run with every non-FROM instruction wrapped in ONBUILD, as hadolint's own tests do. "
         "Only hadolint rules with a Palisade equivalent are listed."),
        ("Checkov fixtures (`labeled/bridgecrewio__checkov`, one case per file, `fail*`/`failure*` must fire)", ckv, ""),
        ("Trivy golden report (`labeled/aquasecurity__trivy/integration/testdata/dockerfile.json.golden`)", gold,
         "One fixture; Trivy reports DS-0002 failed and its other checks passed."),
    ]
    sections += ([("Trivy run on every corpus Dockerfile (Trivy as oracle, one case per file and check)", oracle,
           "Trivy's embedded checks, offline; differences listed below.")] if oracle else [])
    sections += ([("hadolint run on every corpus Dockerfile (hadolint as oracle, one case per file and rule)", horacle,
           f"hadolint {PEERS / 'hadolint'}; {hparse} files hadolint cannot parse (DL1000) are left out.")] if horacle else [])
    for name, per, note in sections:
        ok, n, worst = summary(per)
        doc += [f"## {name}", "", note, "", f"Overall: {ok}/{n} ({pct(ok, n)}); lowest: {worst[1]} at {100 * worst[0]:.1f}%.", "",
                table(per, rules_for, None), "", "<details><summary>Disagreements</summary>", "", misses(per), "", "</details>", ""]
    doc += ["## Known, deliberate differences", "",
            "- DS-0031 (Trivy, corpus run): Trivy flags `ENV GPG_KEY <fingerprint>` in the official Python images as a secret. "
            "A GPG key fingerprint is public, so DF015 ignores names containing GPG or PUBLIC.",
            "- DS-0013 (Trivy, corpus run): Trivy only flags `cd` at the start of an `&&`-separated part of the raw RUN text; "
            "DF032 follows hadolint's DL3003 and flags any `cd` command (after `;`, in subshells, in heredocs too).",
            "- DL3009 (hadolint, corpus run): hadolint does not know apt 3's `apt-get dist-clean`, which removes the package "
            "lists; DF006 accepts it, so the Debian trixie images that use it are clean for Palisade.",
            "- DL4006 (hadolint, corpus run): a `case` pattern such as `x86_64|aarch64)` is not a pipe; DF042 does not fire on it.",
            "- CKV_DOCKER_7 and DS-0002 correspond to two Palisade rules each (untagged vs `:latest`, root vs missing USER); "
            "the foreign check counts as fired when either fires.",
            ""]
    doc += ["## Parsing", "", f"{nfiles} Dockerfiles under `corpus/dockerfiles/`; {nfiles - len(bad)} parse without error.", ""]
    for path, errs in bad:
        doc.append(f"- `{path}`: {'; '.join(errs)} (BuildKit rejects this file too: a stray `~` line left by an editor)"
                   if any('"~"' in e for e in errs) else f"- `{path}`: {'; '.join(errs)}")
    doc.append("")
    Path(a.out).write_text("\n".join(doc))
    print(f"wrote {a.out}")
    for name, per in [("hadolint", had), ("checkov", ckv), ("trivy-golden", gold)] + ([("trivy-oracle", oracle)] if oracle else []) + ([("hadolint-oracle", horacle)] if horacle else []):
        ok, n, worst = summary(per)
        print(f"{name}: {ok}/{n} ({pct(ok, n)}), lowest {worst[1]} {100 * worst[0]:.1f}%")
        for k, v in sorted(per.items()):
            if v[1] and v[0] / v[1] < 0.95:
                print(f"   {k}: {v[0]}/{v[1]}")
    print(f"parse: {nfiles - len(bad)}/{nfiles} clean")


if __name__ == "__main__":
    main()
