#!/usr/bin/env bash
# Regenerates crates/palisade-inventory/fixtures/os/rpm/: a real rpmdb.sqlite written by rpm
# itself (Debian's rpm 4.18, sqlite backend) after installing two packages built here with
# rpmbuild: libgreet provides a soname that greet (epoch 2) requires. Beside it,
# expected-rpm-qa.txt is rpm's own listing (`rpm -qa` with a query format, then the
# requirements rpm resolves with `--whatprovides`), which the detector test compares with.
# The same headers also go into a Berkeley DB hash database written by Berkeley DB's own
# db_load (fixtures/os/rpm-bdb/var/lib/rpm/Packages), laid out as rpm < 4.16 keeps `Packages`:
# a 4-byte header number as key, the header blob as value, and the counter record under key 0.
# Needs: rpm and db5.3-util (apt install rpm db5.3-util). Offline.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/crates/palisade-inventory/fixtures/os/rpm"
WORK="$(mktemp -d /tmp/rpm-fixture.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/SPECS"
spec() { # name version release license extra-lines
  printf 'Name: %s\nVersion: %s\nRelease: %s\nSummary: fixture package %s\nLicense: %s\nBuildArch: x86_64\n%b\n%%description\nA package made by rpmbuild for the rpm detector fixture.\n%%install\nmkdir -p %%{buildroot}/usr/share/%s\necho %s > %%{buildroot}/usr/share/%s/README\n%%files\n/usr/share/%s/README\n' \
    "$1" "$2" "$3" "$1" "$4" "$5" "$1" "$1" "$1" "$1" > "$WORK/SPECS/$1.spec"
  rpmbuild -bb --quiet --define "_topdir $WORK/build" --define "_build_id_links none" "$WORK/SPECS/$1.spec" >/dev/null
}
spec libgreet 1.2.0 3 BSD-3-Clause 'Provides: libgreet.so.1()(64bit)'
spec greet 2.0.1 1 MIT 'Epoch: 2\nRequires: libgreet.so.1()(64bit)'
rpmq() { rpm --root "$WORK/root" --dbpath /var/lib/rpm --define '_db_backend sqlite' "$@"; }
rpmq --initdb
rpmq -i --nodeps --noscripts "$WORK"/build/RPMS/x86_64/*.rpm 2>/dev/null
rm -rf "$OUT"; mkdir -p "$OUT/var/lib/rpm"
# Copy through SQLite's backup API: one self-contained file, the WAL folded in.
python3 -c 'import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d); d.execute("VACUUM"); d.close()' \
  "$WORK/root/var/lib/rpm/rpmdb.sqlite" "$OUT/var/lib/rpm/rpmdb.sqlite"
BDB="$ROOT/crates/palisade-inventory/fixtures/os/rpm-bdb"
rm -rf "$BDB"; mkdir -p "$BDB/var/lib/rpm"
python3 - "$OUT/var/lib/rpm/rpmdb.sqlite" > "$WORK/packages.dump" <<'PY'
import sqlite3, struct, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT hnum, blob FROM Packages ORDER BY hnum").fetchall()
print("VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END")
print(" " + struct.pack("<I", 0).hex()); print(" " + struct.pack("<I", max(h for h, _ in rows) + 1).hex())
for hnum, blob in rows:
    print(" " + struct.pack("<I", hnum).hex()); print(" " + bytes(blob).hex())
print("DATA=END")
PY
db5.3_load -f "$WORK/packages.dump" "$BDB/var/lib/rpm/Packages"
{
  rpmq -qa --qf '%{NAME} %{EPOCHNUM} %{VERSION}-%{RELEASE} %{ARCH} %{LICENSE} %{SOURCERPM}\n' | sort
  for p in $(rpmq -qa --qf '%{NAME}\n' | sort); do
    for req in $(rpmq -q --requires "$p" | grep -v '^rpmlib(' | grep -v '^/' | tr ' ' '~'); do
      prov="$(rpmq -q --whatprovides "${req//\~/ }" --qf '%{NAME}\n' 2>/dev/null || true)"
      [ -n "$prov" ] && [ "$prov" != "$p" ] && echo "requires $p $prov"
    done
  done | sort -u
} > "$OUT/expected-rpm-qa.txt"
cat "$OUT/expected-rpm-qa.txt"
db5.3_stat -d "$BDB/var/lib/rpm/Packages" | grep -E "Number of (keys|data items)|page size"
