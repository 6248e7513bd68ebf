#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into CORPUS_DIR/<target>/, from the test
fixtures of the repository and from small inputs generated here (images, package
databases, configuration files). Run by scripts/fuzz.sh; nothing here is committed as a
binary blob. Usage: seeds.py REPO_ROOT CORPUS_DIR"""

import gzip
import hashlib
import io
import json
import os
import sqlite3
import struct
import sys
import tarfile
import tempfile
import zipfile

ROOT, OUT = sys.argv[1], sys.argv[2]
FIX = os.path.join(ROOT, "crates/palisade-inventory/fixtures")
# A seed larger than this is left out: big seeds slow every execution.
MAX_SEED = 1 << 20


def put(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_SEED:
        return
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def read(*parts):
    with open(os.path.join(*parts), "rb") as f:
        return f.read()


def walk(top):
    for base, _, files in os.walk(top):
        for n in sorted(files):
            p = os.path.join(base, n)
            yield os.path.relpath(p, top), p


def selected(target, selector, name, data):
    put(target, name, bytes([selector]) + (data.encode() if isinstance(data, str) else data))


# --- images -------------------------------------------------------------------------------

def sha(b):
    return hashlib.sha256(b).hexdigest()


def tar_bytes(files):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, body, kind in files:
            info = tarfile.TarInfo(name)
            if kind == "dir":
                info.type = tarfile.DIRTYPE
                t.addfile(info)
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = body
                t.addfile(info)
            elif kind == "hardlink":
                info.type = tarfile.LNKTYPE
                info.linkname = body
                t.addfile(info)
            else:
                info.size = len(body)
                info.mode = 0o755 if kind == "exe" else 0o644
                t.addfile(info, io.BytesIO(body))
    return buf.getvalue()


LAYER = tar_bytes([
    ("etc/", b"", "dir"),
    ("etc/os-release", b"ID=debian\nVERSION_ID=12\n", "file"),
    ("var/lib/dpkg/status", b"Package: bash\nStatus: install ok installed\nVersion: 5.2\n", "file"),
    ("lib/apk/db/installed", b"P:musl\nV:1.2.4-r2\nA:x86_64\n", "file"),
    ("app/.wh.old", b"", "file"),
    ("app/package-lock.json", b'{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0"}}}', "file"),
    ("app/link", "etc/os-release", "symlink"),
    ("app/hard", "etc/os-release", "hardlink"),
    ("app/.env", b"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n", "file"),
])


def config_for(layer):
    return json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"], "User": "root", "Cmd": ["sh"]},
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(layer)]},
        "history": [{"created_by": "ADD x /"}],
    }).encode()


def docker_archive(layer, config=None, manifest=None):
    config = config or config_for(layer)
    cname = sha(config) + ".json"
    manifest = manifest or json.dumps(
        [{"Config": cname, "RepoTags": ["fuzz:latest"], "Layers": ["layer/layer.tar"]}]).encode()
    return tar_bytes([("manifest.json", manifest, "file"), (cname, config, "file"),
                      ("layer/layer.tar", layer, "file")])


def oci_index(layer):
    config = config_for(layer)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": "sha256:" + sha(config), "size": len(config)},
        "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                    "digest": "sha256:" + sha(layer), "size": len(layer)}],
    }).encode()
    index = json.dumps({"schemaVersion": 2, "manifests": [{
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + sha(manifest), "size": len(manifest),
        "platform": {"architecture": "amd64", "os": "linux"},
        "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}).encode()
    return index, manifest, config


def oci_archive(layer):
    index, manifest, config = oci_index(layer)
    files = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}', "file"), ("index.json", index, "file")]
    for b in (manifest, config, layer):
        files.append(("blobs/sha256/" + sha(b), b, "file"))
    return tar_bytes(files)


put("image_archive", "docker-archive", docker_archive(LAYER))
put("image_archive", "oci-archive", oci_archive(LAYER))
put("image_archive", "docker-archive-gzip-layer", docker_archive(gzip.compress(LAYER)))
demo = os.path.join(ROOT, "examples/demo-image-oci")
if os.path.isdir(demo):
    put("image_archive", "demo-image-oci",
        tar_bytes([(rel, read(p), "file") for rel, p in walk(demo)]))
put("image_layer", "plain", LAYER)
put("image_layer", "gzip", gzip.compress(LAYER))
put("image_layer", "empty", tar_bytes([]))
put("image_config", "config", config_for(LAYER))
put("image_config", "nested", json.dumps({"config": {"Labels": {"a": {"b": [1, 2, {"c": None}]}}},
                                          "rootfs": {"diff_ids": []}}))
small = tar_bytes([("var/lib/dpkg/status",
                    b"Package: bash\nStatus: install ok installed\nVersion: 5.2\n", "file"),
                   ("etc/os-release", b"ID=debian\nVERSION_ID=12\n", "file")])
cfg = config_for(small)
selected("image_manifest", 0, "docker-manifest", json.dumps(
    [{"Config": sha(cfg) + ".json", "RepoTags": ["fuzz:latest"], "Layers": ["layer/layer.tar"]}]))
selected("image_manifest", 1, "oci-index", oci_index(small)[0])

# --- OS package databases -----------------------------------------------------------------

dpkg = "".join(
    f"Package: p{i}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n"
    f"Source: src{i} (1.{i}-1)\nVersion: 1.{i}-1+b1\nDepends: libc6 (>= 2.34), p{i + 1} | alt\n"
    f"Provides: virt{i}\nDescription: package {i}\n continued line\n .\n\n" for i in range(4))
dpkg += "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n"
selected("dpkg", 0, "status", dpkg)
selected("dpkg", 1, "status.d", "Package: base-files\nVersion: 12.4\nArchitecture: amd64\n")
put("apk", "installed",
    "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nm:N <n@x>\np:so:libc.musl-x86_64.so.1=1\n\n"
    "P:busybox\nV:1.36.1-r15\nA:x86_64\nD:so:libc.musl-x86_64.so.1 !bb-old\np:/bin/sh cmd:busybox=1\n")

TYPE_INT32, TYPE_STRING, TYPE_STRING_ARRAY = 4, 6, 8


def rpm_header(entries):
    data, index = b"", b""
    for tag, ty, body in entries:
        if ty == TYPE_INT32:
            data += b"\0" * (-len(data) % 4)
        count = body.count(b"\0") if ty == TYPE_STRING_ARRAY else 1
        index += struct.pack(">iIII", tag, ty, len(data), count)
        data += body
    return struct.pack(">II", len(entries), len(data)) + index + data


put("rpm_header", "synthetic", rpm_header([
    (1000, TYPE_STRING, b"openssl-libs\0"), (1001, TYPE_STRING, b"3.0.7\0"),
    (1002, TYPE_STRING, b"24.el9\0"), (1003, TYPE_INT32, struct.pack(">I", 1)),
    (1022, TYPE_STRING, b"x86_64\0"), (1044, TYPE_STRING, b"openssl-3.0.7-24.el9.src.rpm\0"),
    (1047, TYPE_STRING_ARRAY, b"openssl-libs\0libssl.so.3()(64bit)\0"),
    (1049, TYPE_STRING_ARRAY, b"rpmlib(x)\0/bin/sh\0glibc\0")]))
sqlite_db = os.path.join(FIX, "os/rpm/var/lib/rpm/rpmdb.sqlite")
if os.path.exists(sqlite_db):
    put("rpm_sqlite", "fixture", read(sqlite_db))
    con = sqlite3.connect(sqlite_db)
    for i, (blob,) in enumerate(con.execute("SELECT blob FROM Packages LIMIT 8")):
        put("rpm_header", f"fixture-{i}", blob)
    con.close()
with tempfile.TemporaryDirectory() as d:
    p = os.path.join(d, "rpmdb.sqlite")
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB NOT NULL)")
    con.execute("INSERT INTO Packages (blob) VALUES (?)",
                (rpm_header([(1000, TYPE_STRING, b"a\0"), (1001, TYPE_STRING, b"1\0")]),))
    con.commit()
    con.close()
    put("rpm_sqlite", "small", read(p))
bdb = os.path.join(FIX, "os/rpm-bdb/var/lib/rpm/Packages")
if os.path.exists(bdb):
    put("rpm_bdb", "fixture", read(bdb))

# --- archives and binaries ----------------------------------------------------------------


def zip_bytes(entries, method=zipfile.ZIP_DEFLATED):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, body in entries:
            z.writestr(name, body)
    return buf.getvalue()


inner = zip_bytes([("META-INF/maven/org.x/inner/pom.properties",
                    "groupId=org.x\nartifactId=inner\nversion=1.0\n")])
selected("jar", 0, "war-nested", zip_bytes([
    ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Vendor-Id: org.x\n"
     "Implementation-Title: app\nImplementation-Version: 2\n"),
    ("WEB-INF/lib/inner.jar", inner)]))
selected("jar", 1, "jar-stored-nested", zip_bytes([("BOOT-INF/lib/inner.jar", inner)], zipfile.ZIP_STORED))
selected("jar", 2, "egg", zip_bytes([("EGG-INFO/PKG-INFO", "Metadata-Version: 1.1\nName: x\nVersion: 1.0\n")]))
for i, (rel, p) in enumerate(walk(os.path.join(FIX, "lang/java/archives"))):
    if rel.endswith((".jar", ".war")):
        selected("jar", i % 2, "fixture-" + os.path.basename(rel), read(p))

for rel in ["lang/go/bin/usr/local/bin/hello", "lang/rust/auditable/usr/local/bin/fixture-app"]:
    p = os.path.join(FIX, rel)
    if os.path.exists(p):
        put("go_buildinfo", os.path.basename(rel), read(p))


def go_inline(version, modinfo):
    b = b"\xff Go buildinf:" + bytes([8, 2])
    b += b"\0" * (32 - len(b))
    for s in (version.encode(), modinfo.encode()):
        n = len(s)
        while n >= 0x80:
            b += bytes([(n & 0x7f) | 0x80])
            n >>= 7
        b += bytes([n]) + s
    return b


sent = "0123456789abcdef"
put("go_buildinfo", "inline", b"\x7fELF" + b"\0" * 60 + go_inline(
    "go1.22.1", f"{sent}path\tx\nmod\tx\t(devel)\t\ndep\tgolang.org/x/text\tv0.14.0\th1:x=\n"
                "=>\tgithub.com/f/t\tv0.14.1\th1:y=\n\0" + sent))

# --- lockfiles ----------------------------------------------------------------------------

LOCKS = {
    "lock_node": ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                  "package.json"],
    "lock_python": ["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "requirements.txt",
                    "METADATA", "PKG-INFO"],
    "lock_rust_go": ["Cargo.lock", "go.mod"],
    "lock_jvm_dotnet": ["gradle.lockfile", "pom.xml", "packages.lock.json", ".deps.json"],
    "lock_ruby_php": ["Gemfile.lock", ".gemspec", "composer.lock", "installed.json"],
}
count = {}
for rel, p in walk(os.path.join(FIX, "lang")):
    base = os.path.basename(rel)
    for target, names in LOCKS.items():
        for sel, n in enumerate(names):
            hit = base == n or (n.startswith(".") and base.endswith(n)) or \
                (n == "requirements.txt" and base.startswith("requirements") and base.endswith(".txt"))
            if n == "package.json" and "node_modules/" not in rel:
                hit = False
            if hit:
                k = count[target] = count.get(target, 0) + 1
                selected(target, sel, f"{k}-{base}", read(p))
selected("lock_rust_go", 1, "go.mod-inline",
         "module x\n\ngo 1.21\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgolang.org/x/text v0.3.7 // indirect\n)\n"
         "replace github.com/a/b => github.com/f/b v1.2.4\n")
selected("lock_jvm_dotnet", 0, "gradle-inline", "org.slf4j:slf4j-api:2.0.9=compileClasspath\nempty=\n")
selected("lock_jvm_dotnet", 2, "nuget-inline", json.dumps({"version": 1, "dependencies": {"net8.0": {
    "A": {"type": "Direct", "resolved": "1.0.0", "dependencies": {"B": "2.0.0"}},
    "B": {"type": "Transitive", "resolved": "2.0.0"}}}}))
selected("lock_jvm_dotnet", 3, "deps-inline", json.dumps({
    "targets": {"x": {"App/1.0.0": {"dependencies": {"S": "3.1.1"}}}},
    "libraries": {"App/1.0.0": {"type": "project"}, "S/3.1.1": {"type": "package"}}}))
selected("lock_ruby_php", 0, "gemfile-inline",
         "GEM\n  remote: https://rubygems.org/\n  specs:\n    a (1.0-x86_64-linux)\n      b (~> 1)\n"
         "    b (1.1)\n\nDEPENDENCIES\n  a!\n")
selected("lock_ruby_php", 1, "gemspec-inline",
         'Gem::Specification.new do |s|\n  s.name = "rake".freeze\n  s.version = "13.0.6"\nend\n')

# --- configuration and advisories ---------------------------------------------------------

for rel, p in walk(os.path.join(ROOT, "crates/palisade-dockerfile/tests/fixtures")):
    put("dockerfile", rel.replace("/", "_"), read(p))
put("dockerfile", "inline",
    "# syntax=docker/dockerfile:1\nARG BASE=debian:12\nFROM ${BASE} AS build\n"
    "RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n"
    "COPY --chown=1000:1000 . /src\nFROM build AS final\nUSER root\nENV PASSWORD=x\n"
    "HEALTHCHECK CMD curl -f http://localhost/ || exit 1\nCMD [\"sh\", \"-c\", \"echo hi\"]\n")

put("kube_yaml", "pod", """apiVersion: v1
kind: Pod
metadata:
  name: app
  namespace: default
spec:
  hostNetwork: true
  containers:
    - name: app
      image: nginx:latest
      securityContext:
        privileged: true
        capabilities: {add: [SYS_ADMIN]}
      env:
        - name: PASSWORD
          value: hunter2
      volumeMounts: [{name: host, mountPath: /host}]
  volumes:
    - name: host
      hostPath: {path: /}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    metadata: &meta {labels: {app: web}}
    spec:
      containers: [{name: web, image: "registry.example.com/web@sha256:abc", resources: {limits: {cpu: 1}}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: default, namespace: default}]
""")
put("kube_yaml", "list", "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n"
                         "    metadata: {name: a}\n    spec: {containers: [{name: c, image: x}]}\n")

osv_dir = os.path.join(ROOT, "crates/palisade-vulndb/tests/fixtures")
for rel, p in walk(osv_dir):
    if rel.endswith(".json"):
        selected("osv", 0, rel.replace("/", "_"), read(p))
    elif rel.endswith((".yaml", ".yml")):
        selected("osv", 1, rel.replace("/", "_"), read(p))
selected("osv", 0, "inline", json.dumps({
    "id": "GHSA-x", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2024-1"],
    "affected": [{"package": {"ecosystem": "npm", "name": "a"},
                  "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]},
                             {"type": "ECOSYSTEM", "events": [{"introduced": "1:1.0-1"},
                                                              {"last_affected": "2.0~rc1"}]}],
                  "versions": ["1.0.0", "1.2.2"]}]}))

selected("secrets_config", 0, "gitleaks",
         "title = \"x\"\n[allowlist]\npaths = ['''vendor/''']\n[[rules]]\nid = \"corp-key\"\n"
         "regex = '''corp-[0-9a-f]{16}'''\nkeywords = [\"corp-\"]\nentropy = 3.5\n"
         "[[rules.allowlists]]\nregexes = ['''corp-0{16}''']\n")
selected("secrets_config", 1, "allowlists", "[[rules]]\nid = \"aws-access-token\"\n"
                                            "[rules.allowlist]\nstopwords = [\"EXAMPLE\"]\n")
selected("secrets_config", 2, "baseline", '["abc", {"fingerprint": "def"}, {"extra": {"fingerprint": "g"}}]')
pal = os.path.join(ROOT, "palisade.yaml")
if os.path.exists(pal):
    selected("secrets_config", 3, "palisade.yaml", read(pal))
selected("secrets_config", 3, "section", "secrets:\n  scan_binary: false\n  skip_extensions: [lock]\n"
                                         "  rules:\n    - id: corp\n      regex: 'corp-[0-9]{8}'\n")

selected("ignore_vex", 0, "ignore", "# c\nCVE-2023-1234\nCVE-2023-1 exp:2026-01-01\n"
                                    "GHSA-x purl=pkg:npm/lodash path=app/* expires=2026-06-30 reason=\"r\"\n"
                                    "pkg:npm/lodash@4.17.4\npath=vendor/\n")
selected("ignore_vex", 0, "ignore-yaml", "ignore:\n  - id: CVE-2023-1\n    purls: [pkg:npm/a]\n"
                                         "    paths: [app/]\n    expires: 2026-01-01\n    reason: r\n")
selected("ignore_vex", 1, "openvex", json.dumps({
    "@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a", "timestamp": "2024-01-01T00:00:00Z",
    "statements": [{"vulnerability": {"name": "CVE-2023-1"}, "products": [{"@id": "pkg:npm/a@1"}],
                    "status": "not_affected", "justification": "component_not_present"}]}))
selected("ignore_vex", 1, "cyclonedx-vex", json.dumps({
    "bomFormat": "CycloneDX", "specVersion": "1.5",
    "components": [{"bom-ref": "r1", "purl": "pkg:npm/a@1", "name": "a"}],
    "vulnerabilities": [{"id": "CVE-2023-1", "analysis": {"state": "not_affected"},
                         "affects": [{"ref": "r1"}]}]}))

for t in sorted(os.listdir(OUT)):
    print(f"{t}: {len(os.listdir(os.path.join(OUT, t)))} seeds")
