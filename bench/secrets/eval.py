#!/usr/bin/env python3
"""Precision and recall of the shipped secret scanner on gitleaks' labelled rule samples.

usage: bench/secrets/eval.py SAMPLES.jsonl [--gitleaks-allowlists TOML | --gitleaks-config TOML]
                             [--report-published-examples] [--summary]

Every gitleaks rule ID is mapped to the Palisade rule that answers to it (its own ID or an ID
in `related`, from `palisade rules --format json`). The samples of one gitleaks rule are
written to a temporary tree, one `sNNNNN/sample.txt` each, and scanned by one
`palisade fs TREE -f json -q --scanners secret --config palisade.yaml` run whose `secrets:`
section restricts the scanner to that rule (`only_rules`) and names the gitleaks file, if
any; findings are mapped back to samples by `location.path`. A sample counts as a hit only
when the mapped rule itself (or, with a gitleaks config imported whole, the gitleaks rule of
that ID) reports it. TP/FN are counted on `match` samples, FP/TN on `no-match` samples.

Prints a markdown table per rule and a total row (`--summary`: the total row only).
Set VERBOSE=1 to list every misclassified sample on stderr.
"""

import argparse
import json
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import palisade_cli  # noqa: E402


class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = self.tn = 0

    def add(self, o):
        self.tp += o.tp
        self.fp += o.fp
        self.fn += o.fn
        self.tn += o.tn

    @staticmethod
    def pct(n, d):
        return "n/a" if d == 0 else f"{100.0 * n / d:.1f}%"

    def row(self, bold=False):
        cells = [self.tp, self.fp, self.fn, self.tn, self.pct(self.tp, self.tp + self.fp), self.pct(self.tp, self.tp + self.fn)]
        return " | ".join(f"**{c}**" if bold else str(c) for c in cells)


def answers_to(meta, rule):
    r = rule.lower()
    return meta["id"].lower() == r or any(x.lower() == r for x in meta.get("related", []))


def yaml_str(s):
    # JSON strings are valid YAML scalars.
    return json.dumps(str(s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("samples")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--gitleaks-allowlists")
    g.add_argument("--gitleaks-config")
    ap.add_argument("--report-published-examples", action="store_true")
    ap.add_argument("--summary", action="store_true")
    a = ap.parse_args()

    metas = [m for m in palisade_cli.rules() if m["family"] == "secret"]
    samples = defaultdict(list)  # gitleaks rule -> [(expect match?, sample)]
    order = []
    for n, line in enumerate(open(a.samples, encoding="utf-8")):
        try:
            v = json.loads(line)
        except json.JSONDecodeError as e:
            print(f"{a.samples}:{n + 1}: {e}", file=sys.stderr)
            continue
        rule, expect, sample = v.get("rule_id"), v.get("expect"), v.get("sample")
        if not (isinstance(rule, str) and isinstance(expect, str) and isinstance(sample, str)):
            continue
        if rule not in samples:
            order.append(rule)
        samples[rule].append((expect == "match", sample))

    whole = a.gitleaks_config is not None
    per_rule = {}
    verbose = os.environ.get("VERBOSE")
    with tempfile.TemporaryDirectory(prefix="palisade-secrets-eval-") as tmp:
        for rule in sorted(order):
            ours = next((m["id"] for m in metas if answers_to(m, rule)), None)
            if ours is None and whole:
                # gitleaks' own config runs its own rules: every gitleaks rule is there.
                ours = rule
            c = Counts()
            per_rule[rule] = (ours, c)
            if ours is None:
                continue
            tree = Path(tmp) / "tree"
            tree.mkdir()
            for n, (_, sample) in enumerate(samples[rule]):
                d = tree / f"s{n:05d}"
                d.mkdir()
                (d / "sample.txt").write_bytes(sample.encode("utf-8"))
            cfg = ["secrets:", f"  only_rules: [{yaml_str(rule)}]"]
            if a.gitleaks_allowlists:
                cfg.append(f"  gitleaks_allowlists: {yaml_str(os.path.abspath(a.gitleaks_allowlists))}")
            if a.gitleaks_config:
                cfg.append(f"  gitleaks_config: {yaml_str(os.path.abspath(a.gitleaks_config))}")
            if a.report_published_examples:
                cfg.append("  report_published_examples: true")
            config = Path(tmp) / "palisade.yaml"
            config.write_text("\n".join(cfg) + "\n")
            rep = palisade_cli.report(["fs", str(tree), "--scanners", "secret"], config=config)
            hits = set()
            for f in palisade_cli.findings(rep):
                fid = f["rule_id"]
                if (whole and fid == rule) or any(m["id"] == fid and answers_to(m, rule) for m in metas):
                    hits.add(f["location"]["path"].split("/", 1)[0])
            for n, (want, sample) in enumerate(samples[rule]):
                hit = f"s{n:05d}" in hits
                if want != hit and verbose:
                    print(f"{'FN' if want else 'FP'} {rule}: {sample[:160]!r}", file=sys.stderr)
                if want and hit:
                    c.tp += 1
                elif want:
                    c.fn += 1
                elif hit:
                    c.fp += 1
                else:
                    c.tn += 1
            for p in sorted(tree.iterdir()):
                (p / "sample.txt").unlink()
                p.rmdir()
            tree.rmdir()

    total = Counts()
    uncovered = []
    print("| gitleaks rule | Palisade rule | TP | FP | FN | TN | precision | recall |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for rule in sorted(per_rule):
        ours, c = per_rule[rule]
        if ours is None:
            uncovered.append(rule)
            continue
        total.add(c)
        if not a.summary:
            print(f"| {rule} | {ours} | {c.row()} |")
    print(f"| **all covered** | | {total.row(bold=True)} |")
    if uncovered:
        print(f"\nNot covered: {', '.join(uncovered)}")


if __name__ == "__main__":
    main()
