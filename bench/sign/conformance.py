#!/usr/bin/env python3
"""Sigstore bundle-verify conformance cases through the real `palisade verify-bundle`.

Each case directory (sigstore-conformance's test/assets/bundle-verify layout: a
bundle.sigstore.json, optional artifact, identity, issuer, key.pub, trusted_root.json)
is run twice, as the conformance suite does: with the artifact's path and with its
`sha256:` digest. A `_fail` case must exit 1 (verification failed), any other must
exit 0; anything else (exit 2, a crash) is a miss either way.

    bench/sign/conformance.py [--bin $PALISADE|target/debug/palisade] [--upstream GIT_DIR]
                              [--extra] [--oracle PYTHON] [CASES_DIR ...]

--upstream GIT_DIR   also run the cases of a sigstore-conformance git checkout or
                     mirror (its HEAD's test/assets/bundle-verify) that are not in
                     the CASES_DIRs already given.
--extra              also run the sigstore-rs and cosign test bundles of the shared
                     corpus with their known identities (and mutations that must fail).
--oracle PYTHON      cross-check each verdict with sigstore-python (`PYTHON -m
                     sigstore verify identity`, given the same trusted root); cases it
                     cannot express (managed keys) are left out of the comparison.

Ends with 'N passed, N failed'; exit 1 when any case missed.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("CORPUS", REPO.parent / "shared/corpus")) / "cosign"
DEFAULT_CASES = CORPUS / "sigstore__sigstore-conformance/assets/bundle-verify"
IDENTITY = (
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/"
    ".github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main"
)
ISSUER = "https://token.actions.githubusercontent.com"
PUBLIC_GOOD_ROOT = REPO / "crates/palisade-sign/src/bundle/trusted_root.json"


class Case:
    def __init__(self, name, bundle, artifact, expect_ok, identity=IDENTITY, issuer=ISSUER,
                 key=None, root=None, digest_only=None):
        self.name, self.bundle, self.artifact = name, bundle, artifact
        self.expect_ok, self.identity, self.issuer = expect_ok, identity, issuer
        self.key, self.root, self.digest_only = key, root, digest_only

    @classmethod
    def from_dir(cls, d: Path):
        def opt(name):
            p = d / name
            return p if p.exists() else None

        def text(name, default):
            p = opt(name)
            return p.read_text().strip() if p else default

        return cls(
            d.name, d / "bundle.sigstore.json", opt("artifact") or d.parent / "a.txt",
            not d.name.endswith("_fail"), text("identity", IDENTITY), text("issuer", ISSUER),
            opt("key.pub"), opt("trusted_root.json"),
        )

    def args(self, digest: bool):
        args = ["verify-bundle", "--bundle", str(self.bundle)]
        if self.key:
            args += ["--key", str(self.key)]
        else:
            args += ["--certificate-identity", self.identity,
                     "--certificate-oidc-issuer", self.issuer]
        if self.root:
            args += ["--trusted-root", str(self.root)]
        if self.digest_only:
            args.append(self.digest_only)
        elif digest:
            args.append("sha256:" + hashlib.sha256(self.artifact.read_bytes()).hexdigest())
        else:
            args.append(str(self.artifact))
        return args

    def modes(self):
        return [("digest", True)] if self.digest_only else [("path", False), ("digest", True)]


def run(binary, case, digest):
    p = subprocess.run([binary, *case.args(digest)], capture_output=True, text=True, timeout=60)
    reason = (p.stderr.strip().splitlines() or [""])[-1]
    return p.returncode, reason


def oracle(python, case, digest):
    """sigstore-python's verdict (True/False), or None when it cannot judge the case."""
    if case.key:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".json") as tc:
        root = json.loads((case.root or PUBLIC_GOOD_ROOT).read_text())
        json.dump({"mediaType": "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json",
                   "trustedRoot": root, "signingConfig": SIGNING_CONFIG}, tc)
        tc.flush()
        if case.digest_only:
            art = case.digest_only
        elif digest:
            art = "sha256:" + hashlib.sha256(case.artifact.read_bytes()).hexdigest()
        else:
            art = str(case.artifact)
        cmd = [python, "-m", "sigstore", "--trust-config", tc.name, "verify", "identity",
               "--bundle", str(case.bundle), "--cert-identity", case.identity,
               "--cert-oidc-issuer", case.issuer, art]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            return None
        return p.returncode == 0


# sigstore-python wants a complete client trust config; verification never uses this part.
SIGNING_CONFIG = {
    "mediaType": "application/vnd.dev.sigstore.signingconfig.v0.2+json",
    "caUrls": [{"url": "https://fulcio.example.com", "majorApiVersion": 1, "operator": "",
                "validFor": {"start": "1970-01-01T01:01:01Z"}}],
    "oidcUrls": [],
    "rekorTlogUrls": [{"url": "https://rekor.example.com", "majorApiVersion": 1, "operator": "",
                       "validFor": {"start": "1970-01-01T01:01:01Z"}}],
    "tsaUrls": [],
    "rekorTlogConfig": {"selector": "ANY"},
    "tsaConfig": {"selector": "ANY"},
}


def extra_cases():
    """Bundles of sigstore-rs and cosign with their known signers, plus failing variants."""
    rs = CORPUS / "sigstore__sigstore-rs/tests/data/bundle_v03.json"
    rs_digest = "sha256:c811d58de79c92f03214e63aa339484e488d694ae8a6283b5f3f17a9faf50172"
    rs_id = ("https://github.com/kubewarden/kubewarden-controller/.github/workflows/"
             "release.yml@refs/tags/v1.34.0")
    cos = CORPUS / "sigstore__cosign/pkg/cosign/testdata/oci-attestation.sigstore.json"
    cos_root = CORPUS / "sigstore__cosign/pkg/cosign/testdata/trusted_root_pgi.json"
    cos_digest = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"
    other = "sha256:" + "0" * 64
    gh = "https://token.actions.githubusercontent.com"
    return [
        Case("sigstore-rs/bundle_v03", rs, None, True, rs_id, gh, digest_only=rs_digest),
        # sigstore-rs's older root has no timestamp authority, and the bundle's RFC 3161
        # timestamp cannot be left unchecked: sigstore-python refuses it the same way.
        Case("sigstore-rs/bundle_v03-rs-root-without-tsa_fail", rs, None, False, rs_id, gh,
             root=CORPUS / "sigstore__sigstore-rs/trust_root/prod/trusted_root.json",
             digest_only=rs_digest),
        Case("sigstore-rs/bundle_v03-other-digest_fail", rs, None, False, rs_id, gh,
             digest_only=other),
        Case("sigstore-rs/bundle_v03-other-identity_fail", rs, None, False, rs_id + "x", gh,
             digest_only=rs_digest),
        Case("sigstore-rs/bundle_v03-other-issuer_fail", rs, None, False, rs_id,
             "https://accounts.google.com", digest_only=rs_digest),
        Case("sigstore-rs/bundle_v03-cosign-root-without-tsa_fail", rs, None, False, rs_id,
             gh, root=cos_root, digest_only=rs_digest),
        Case("cosign/oci-attestation", cos, None, True, "cody@soyland.com",
             "https://github.com/login/oauth", root=cos_root, digest_only=cos_digest),
        Case("cosign/oci-attestation-public-good", cos, None, True, "cody@soyland.com",
             "https://github.com/login/oauth", digest_only=cos_digest),
        Case("cosign/oci-attestation-other-digest_fail", cos, None, False, "cody@soyland.com",
             "https://github.com/login/oauth", root=cos_root, digest_only=other),
        Case("cosign/oci-attestation-other-identity_fail", cos, None, False, "eve@example.com",
             "https://github.com/login/oauth", root=cos_root, digest_only=cos_digest),
    ]


def upstream_cases(git_dir: Path, have: set, tmp: Path):
    tar = subprocess.run(["git", "--git-dir", str(git_dir), "archive", "HEAD",
                          "test/assets/bundle-verify"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tmp)], input=tar, check=True)
    root = tmp / "test/assets/bundle-verify"
    return [Case.from_dir(d) for d in sorted(root.iterdir()) if d.is_dir() and d.name not in have]


def main():
    ap = argparse.ArgumentParser()
    # Verdicts do not depend on the build profile, so the debug binary the tests use will do.
    ap.add_argument("--bin", default=os.environ.get("PALISADE", str(REPO / "target/debug/palisade")))
    ap.add_argument("--upstream", type=Path)
    ap.add_argument("--extra", action="store_true")
    ap.add_argument("--oracle")
    ap.add_argument("dirs", nargs="*", type=Path)
    a = ap.parse_args()

    groups = []
    dirs = a.dirs or ([DEFAULT_CASES] if DEFAULT_CASES.is_dir() else [])
    have = set()
    for root in dirs:
        cases = [Case.from_dir(d) for d in sorted(root.iterdir()) if d.is_dir()]
        have |= {c.name for c in cases}
        groups.append((str(root), cases))
    tmp = tempfile.TemporaryDirectory()
    if a.upstream:
        groups.append((f"upstream {a.upstream} (not in the above)",
                       upstream_cases(a.upstream, have, Path(tmp.name))))
    if a.extra:
        groups.append(("sigstore-rs and cosign bundles", extra_cases()))

    passed = failed = agree = disagree = 0
    for title, cases in groups:
        print(f"# {title}: {len(cases)} cases")
        g_pass = g_fail = 0
        for case in cases:
            for mode, digest in case.modes():
                rc, reason = run(a.bin, case, digest)
                ok = rc == (0 if case.expect_ok else 1)
                g_pass += ok
                g_fail += not ok
                verdict = "ok  " if ok else "MISS"
                line = f"{verdict} {case.name} [{mode}] exit {rc}: {reason}"
                if a.oracle:
                    o = oracle(a.oracle, case, digest)
                    if o is not None:
                        same = o == (rc == 0)
                        agree += same
                        disagree += not same
                        line += f" | sigstore-python {'pass' if o else 'fail'}"
                        line += "" if same else " DISAGREES"
                print(line)
        print(f"# {title}: {g_pass} passed, {g_fail} failed")
        passed += g_pass
        failed += g_fail
    if a.oracle:
        print(f"# sigstore-python agreement: {agree} agree, {disagree} disagree")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
