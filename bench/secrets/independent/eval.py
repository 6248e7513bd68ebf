#!/usr/bin/env python3
"""Precision and recall of the shipped secret scanner on the independent labelled set.

usage: bench/secrets/independent/eval.py [--seed N] [--keep DIR] [--summary | --by-provider] [--by-rule]

Generates the set (generate.py, a fixed seed unless told otherwise) into a temporary tree,
adds detect-secrets' test data, labelled as detect-secrets labels it (read from the corpus at
run time, never copied; a separate row), runs `palisade fs TREE --scanners secret -f json` once with default settings
and maps findings back by `location.path`.

- A positive counts as found (TP) when some finding starts on the line that holds it (any
  line of the object, for multi-line credentials such as a service-account JSON);
  otherwise it is a miss (FN). A finding elsewhere in a positive file is a stray FP.
- A negative file with any finding is a false positive (FP), else a TN.

Prints markdown tables: per credential type (or per provider, `--by-provider`), and
(`--by-rule`) which rules found the positives.
VERBOSE=1 lists every miss and false positive on stderr.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
import palisade_cli  # noqa: E402

REPO = HERE.parents[2]
CORPUS = Path(os.environ.get("CORPUS", REPO.parent / "shared" / "corpus"))

# detect-secrets' test data (Yelp/detect-secrets @ 5e14193, test_data/), labelled as detect-secrets
# labels it, not by us: the file names (`file_with_secrets` / `file_with_no_secrets`,
# `each_secret.py` = "one example of each secret type"), the variable names and comments its
# authors wrote (`red_herring`, `not_secret`, "this should be ignored as a potential id",
# `skipped_sequential_false_positive`, `notHighEnoughEntropy`), `# pragma: allowlist secret`
# (a secret the author acknowledges), its heuristic filters that its tests exercise on these
# lines (`is_likely_id_string` drops `id` / `*_id`), and `word_list.txt`, the word list its
# tests use to drop test values. Lines none of these label are left out. Where Palisade's
# policy differs (it skips AWS's documented example keys and base64 of prose), the line still
# counts as the source labels it. The files are copied into the scanned tree at run time
# under `detect-secrets/`, never into the repository. (TruffleHog's test data is not in the
# corpus, so it has no slice.)
DETECT_SECRETS = [
    ("test_data/each_secret.py", 1, "neg", "`red_herring` = 'DEADBEEF'"),
    ("test_data/each_secret.py", 2, "neg", "`id`: dropped by detect-secrets' is_likely_id_string filter"),
    ("test_data/each_secret.py", 4, "pos", "each_secret.py: `base64_secret` (base64 of an English sentence)"),
    ("test_data/each_secret.py", 5, "pos", "each_secret.py: `hex_secret`"),
    ("test_data/each_secret.py", 6, "pos", "each_secret.py: basic-auth URL password (on example.com)"),
    ("test_data/each_secret.py", 8, "pos", "each_secret.py: AWS key ID (AWS's documented example AKIAIOSFODNN7EXAMPLE)"),
    ("test_data/each_secret.py", 9, "pos", "each_secret.py: AWS secret key (AWS's documented example)"),
    ("test_data/files/file_with_secrets.py", 3, "pos", "file_with_secrets: `SUPER_SEECRET_VALUE` (base64 of an English sentence)"),
    ("test_data/files/file_with_secrets.py", 4, "pos", "file_with_secrets: `VERY_SECRET_TOO`, pragma: allowlist secret"),
    ("test_data/files/tmp/file_with_secrets.py", 3, "pos", "file_with_secrets: `SUPER_SECRET_VALUES` (two hex values)"),
    ("test_data/files/private_key", 1, "pos", "private_key (body is a readable phrase, not key material)"),
    ("test_data/files/file_with_no_secrets.py", 2, "neg", "file_with_no_secrets: user-facing message"),
    ("test_data/files/tmp/file_with_no_secrets.py", 2, "neg", "file_with_no_secrets: user-facing message"),
    ("test_data/config.ini", 26, "pos", "`password = 12345678901234`, pragma: allowlist secret"),
    ("test_data/config.ini", 32, "pos", "`real_secret_which_isnt_an_i_d`"),
    ("test_data/config.ini", 33, "neg", "`foreign_key_id`: dropped by is_likely_id_string"),
    ("test_data/config.yaml", 2, "neg", "`some_value_here: not_secret`"),
    ("test_data/config.yaml", 12, "pos", "`..._api_key`, pragma: allowlist secret"),
    ("test_data/config.yaml", 13, "pos", "`low_entropy_binary_secret` (!!binary)"),
    ("test_data/config.yaml", 16, "neg", "`allowlisted_id`: 'this should be ignored as a potential id'"),
    ("test_data/config.yaml", 18, "neg", "`uuid_should_be_ignored`"),
    ("test_data/config2.yaml", 2, "pos", "`high_entropy_hex_binary_secret` (!!binary)"),
    ("test_data/short_files/first_line.php", 1, "neg", "`secret = 'notHighEnoughEntropy'`"),
    ("test_data/short_files/first_line.php", 2, "neg", "`skipped_sequential_false_positive`"),
    ("test_data/short_files/last_line.ini", 5, "pos", "`secrets_for_no_one_to_find` (continuation line BEEF0123456789a)"),
    ("test_data/word_list.txt", 1, "neg", "word list of test values: TESTPASS"),
    ("test_data/word_list.txt", 3, "neg", "word list of test values: AKIANOTREAL"),
]


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

    def cells(self):
        return [self.tp, self.fp, self.fn, self.tn, self.pct(self.tp, self.tp + self.fp), self.pct(self.tp, self.tp + self.fn)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--keep", help="generate into this directory and keep it")
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--by-rule", action="store_true")
    ap.add_argument("--by-provider", action="store_true", help="one row per provider instead of per credential type")
    a = ap.parse_args()
    verbose = os.environ.get("VERBOSE")

    with tempfile.TemporaryDirectory(prefix="palisade-indep-") as tmp:
        root = Path(a.keep or tmp) / "set"
        if root.exists():
            subprocess.run(["rm", "-rf", str(root)], check=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--seed", str(a.seed)], check=True,
                       stdout=subprocess.DEVNULL)
        labels = [json.loads(l) for l in open(root / "labels.jsonl")]
        os.unlink(root / "labels.jsonl")
        ds_root = CORPUS / "secrets" / "Yelp__detect-secrets"
        ds_lines = defaultdict(dict)
        if ds_root.is_dir():
            for rel, line, label, why in DETECT_SECRETS:
                src = ds_root / rel
                if not src.is_file():
                    continue
                dst = root / "detect-secrets" / rel
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_bytes(src.read_bytes())
                ds_lines[str(Path("detect-secrets") / rel)][line] = (label, why)
        rep = palisade_cli.report(["fs", str(root), "--scanners", "secret"])

        by_path = defaultdict(list)
        for f in palisade_cli.findings(rep):
            loc = f.get("location") or {}
            path = loc.get("path", "")
            if os.path.isabs(path):
                path = os.path.relpath(path, root)
            span = loc.get("span") or {}
            by_path[path].append((span.get("start_line"), f["rule_id"]))

    per_provider = defaultdict(Counts)
    per_kind = defaultdict(Counts)
    rules_found = defaultdict(lambda: defaultdict(int))
    stray = 0
    for l in labels:
        hits = by_path.get(l["path"], [])
        c = Counts()
        if l["label"] == "pos":
            on_line = [r for (ln, r) in hits if ln in l["lines"]]
            if on_line:
                c.tp = 1
                for r in set(on_line):
                    rules_found[r][l["provider"] + " / " + l["kind"]] += 1
            else:
                c.fn = 1
                if verbose:
                    print(f"FN {l['provider']} / {l['kind']}: {l['path']} (found: {hits})", file=sys.stderr)
            stray += sum(1 for (ln, _) in hits if ln not in l["lines"])
        else:
            if hits:
                c.fp = 1
                if verbose:
                    print(f"FP {l['provider']} / {l['kind']} [{l['note']}]: {l['path']} {hits}", file=sys.stderr)
            else:
                c.tn = 1
        per_provider[l["provider"]].add(c)
        per_kind[(l["provider"], l["kind"])].add(c)

    ds = Counts()
    for path, lines in ds_lines.items():
        hit_lines = {ln for (ln, _) in by_path.get(path, [])}
        for line, (label, why) in lines.items():
            if label == "pos":
                if line in hit_lines:
                    ds.tp += 1
                else:
                    ds.fn += 1
                    if verbose:
                        print(f"FN detect-secrets {path}:{line} ({why})", file=sys.stderr)
            elif line in hit_lines:
                ds.fp += 1
                if verbose:
                    print(f"FP detect-secrets {path}:{line} ({why})", file=sys.stderr)
            else:
                ds.tn += 1

    total = Counts()
    for c in per_provider.values():
        total.add(c)
    n_pos = sum(1 for l in labels if l["label"] == "pos")
    print(f"{n_pos} positives, {len(labels) - n_pos} negatives, {len(per_provider)} providers, "
          f"{len(per_kind)} credential types (seed {a.seed}); stray findings in positive files: {stray}\n")
    print("| set | TP | FP | FN | TN | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print("| **generated (documented formats)** | " + " | ".join(f"**{x}**" for x in total.cells()) + " |")
    print("| detect-secrets test data (labelled by detect-secrets) | " + " | ".join(str(x) for x in ds.cells()) + " |")
    if a.summary:
        return
    if a.by_provider:
        print("\n| provider | credential types | TP | FP | FN | TN | precision | recall |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for prov in sorted(per_provider, key=str.lower):
            n = sum(1 for (p, _) in per_kind if p == prov)
            print(f"| {prov} | {n} | " + " | ".join(str(x) for x in per_provider[prov].cells()) + " |")
        return
    print("\n| provider | credential type | TP | FP | FN | TN | precision | recall |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (prov, kind) in sorted(per_kind):
        print(f"| {prov} | {kind} | " + " | ".join(str(x) for x in per_kind[(prov, kind)].cells()) + " |")
    if a.by_rule:
        print("\n| Palisade rule | positives it reported (credential types) |")
        print("|---|---|")
        for r in sorted(rules_found):
            kinds = ", ".join(f"{k} ({n})" for k, n in sorted(rules_found[r].items()))
            print(f"| {r} | {kinds} |")


if __name__ == "__main__":
    main()
