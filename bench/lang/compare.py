#!/usr/bin/env python3
"""Compares Palisade's language inventory with Trivy's on one directory tree.

usage: compare.py PALISADE.cdx.json TRIVY_FS.json [TRIVY_ROOTFS.json] > report.md

PALISADE.cdx.json is `palisade fs DIR -f cyclonedx` (the shipped CLI; each component names
the file it was found in, property `palisade:package:found_in`); the CLI's warnings on stderr,
saved as PALISADE.cdx.json.warnings, are its detector errors.

A pair is (file, purl without qualifiers). Trivy's fs mode reads lockfiles and its rootfs
mode reads installed metadata and binaries; Palisade's detectors do both at once, so the
union of Trivy's two runs is compared with Palisade's one run.
"""
import json
import os
import sys
from collections import Counter


def strip_q(purl):
    return purl.split("?", 1)[0]


OS_PURLS = ("pkg:deb", "pkg:apk", "pkg:rpm")


def warnings(path):
    """The CLI prints the first 20 problems as `warning: ...` and then `warning: … N more`."""
    try:
        lines = [l[len("warning: "):] for l in open(path) if l.startswith("warning: ")]
    except FileNotFoundError:
        return []
    more = [l for l in lines if l.startswith("… ") and l.rstrip().endswith("more in the report")]
    lines = [l.rstrip() for l in lines if l not in more]
    for m in more:
        lines += ["(not shown)"] * int(m.split()[1])
    return lines


def palisade_pairs(path):
    d = json.load(open(path))
    out = set()
    for c in d.get("components", []):
        purl = c.get("purl")
        # OS packages belong to the OS detectors, not to this comparison (as for Trivy below).
        if not purl or strip_q(purl).split("/", 1)[0] in OS_PURLS:
            continue
        props = {p["name"]: p["value"] for p in c.get("properties", [])}
        # Nested archives report `outer.war!/inner.jar`; Trivy names the outer file.
        f = props.get("palisade:package:found_in", "").split("!/", 1)[0]
        # The scanned project itself is CycloneDX's `application` component (Trivy's `root`).
        out.add((f, strip_q(purl), "root" if c.get("type") == "application" else "unknown"))
    return out, warnings(path + ".warnings")


def trivy_pairs(path):
    d = json.load(open(path))
    out = set()
    for r in d.get("Results") or []:
        for p in r.get("Packages") or []:
            purl = (p.get("Identifier") or {}).get("PURL") or "%s@%s" % (p.get("Name"), p.get("Version", ""))
            f = p.get("FilePath") or r["Target"]
            # OS packages belong to the OS detectors, not to this comparison.
            if strip_q(purl).split("/", 1)[0] in OS_PURLS:
                continue
            out.add((f, strip_q(purl), p.get("Relationship", "")))
    return out


def main():
    pal, errors = palisade_pairs(sys.argv[1])
    tri = set()
    for t in sys.argv[2:]:
        tri |= trivy_pairs(t)
    pal_k = {(f, u) for f, u, _ in pal}
    tri_k = {(f, u) for f, u, _ in tri}
    # Trivy gives some installed packages no file path (pip's vendored list); such a package
    # agrees with Palisade's same purl from whichever file Palisade found it in.
    tri_files_real = {f for f, _ in tri_k if "/" in f or "." in f}
    for f, u in sorted(tri_k):
        if f in tri_files_real:
            continue
        tri_k.discard((f, u))
        match = sorted(k for k in pal_k if k[1] == u and k not in tri_k)
        tri_k.add(match[0] if match else (f, u))
    roots = {(f, u) for f, u, r in tri | pal if r == "root"}
    unversioned = {(f, u) for f, u in tri_k if "@" not in u or u.endswith("@")}
    pal_files = {f for f, _ in pal_k}
    tri_files = {f for f, _ in tri_k}
    both_files = pal_files & tri_files
    agree = pal_k & tri_k
    union = pal_k | tri_k
    # Comparable: a versioned package, not the scanned project itself, in a file both read.
    comp = {k for k in union if k[0] in both_files and k not in roots and k not in unversioned}
    comp_agree = comp & agree
    # package@version pairs: every versioned package either tool reports, wherever found,
    # except the scanned project itself.
    versioned = {k for k in union if k not in roots and k not in unversioned}
    versioned_agree = versioned & agree
    print("| measure | count |\n| --- | --- |")
    print(f"| Palisade pairs | {len(pal_k)} |\n| Trivy pairs | {len(tri_k)} |\n| agreeing pairs | {len(agree)} |")
    print(f"| all pairs agreement | {len(agree)}/{len(union)} = {100.0 * len(agree) / max(len(union), 1):.1f}% |")
    print(f"| package@version pairs agreement | {len(versioned_agree)}/{len(versioned)} = {100.0 * len(versioned_agree) / max(len(versioned), 1):.1f}% |")
    print(f"| comparable pairs agreement | {len(comp_agree)}/{len(comp)} = {100.0 * len(comp_agree) / max(len(comp), 1):.1f}% |")
    print(f"| Palisade detector errors | {len(errors)} |")
    if os.environ.get("SUMMARY"):
        with open(os.environ["SUMMARY"], "w") as fh:
            json.dump({"palisade": len(pal_k), "trivy": len(tri_k), "agree": len(agree),
                       "union": len(union), "versioned": len(versioned),
                       "versioned_agree": len(versioned_agree), "comparable": len(comp),
                       "comparable_agree": len(comp_agree), "errors": len(errors)}, fh)
    print("\n### Only Palisade\n")
    for f, u in sorted(pal_k - tri_k):
        why = "file not read by Trivy" if f not in tri_files else ""
        print(f"- `{f}` `{u}` {why}")
    print("\n### Only Trivy\n")
    for f, u in sorted(tri_k - pal_k):
        why = []
        if (f, u) in roots:
            why.append("Trivy root (the scanned project itself)")
        if (f, u) in unversioned:
            why.append("no version")
        if f not in pal_files:
            why.append("file not reported by Palisade")
        print(f"- `{f}` `{u}` {'; '.join(why)}")
    by_eco = Counter(u.split("/", 1)[0] for _, u in agree)
    print("\n### Agreeing pairs by type\n")
    for k, v in sorted(by_eco.items()):
        print(f"- {k}: {v}")
    if errors:
        print("\n### Palisade errors\n")
        for e in errors:
            print(f"- {e}")


main()
