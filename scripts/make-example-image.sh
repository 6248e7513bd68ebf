#!/usr/bin/env bash
# Builds examples/demo-image-oci: a small, real OCI image layout used by the README's first
# command and by the CLI tests. Everything in it comes from real package managers:
#   L0  Debian bookworm base-files + a real dpkg status database for a handful of packages
#       (control fields from `apt-get download` + `dpkg-deb -f`, files from `dpkg-deb -x`)
#   L1  old PyPI packages installed by pip (requests 2.19.1, urllib3 1.24.1)
#   L2  a Node app with lodash 4.17.4 installed by npm
#   L3  a FAKE AWS credential file, L4 deletes it again (whiteout)
# Needs: apt-get (Debian bookworm sources), pip, npm, umoci, skopeo. Run as root.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/examples/demo-image-oci}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in umoci skopeo; do command -v $t >/dev/null || { apt-get update -qq; apt-get install -y -qq umoci skopeo >/dev/null; }; done

# ------------------------------------------------------------------ L0: Debian packages
pkgs="base-files zlib1g libssl3 openssl tzdata ca-certificates libc6 gzip"
mkdir -p "$work/debs" "$work/rootfs/var/lib/dpkg"
(cd "$work/debs" && apt-get download $pkgs >/dev/null)
status="$work/rootfs/var/lib/dpkg/status"
: > "$status"
for deb in "$work"/debs/*.deb; do
  name=$(dpkg-deb -f "$deb" Package)
  # Keep the image small: unpack only base-files (os-release) and small packages' docs.
  case "$name" in base-files|zlib1g|gzip) dpkg-deb -x "$deb" "$work/rootfs" ;; esac
  dpkg-deb -f "$deb" Package | sed 's/^/Package: /' >> "$status"
  echo "Status: install ok installed" >> "$status"
  dpkg-deb -f "$deb" Priority Section Installed-Size Maintainer Architecture Source Version Description | grep -v '^ ' >> "$status"
  echo >> "$status"
done
rm -rf "$work/rootfs/usr/share/doc" "$work/rootfs/usr/share/man" "$work/rootfs/usr/share/locale" "$work/rootfs/usr/share/info"

umoci init --layout "$work/oci"
umoci new --image "$work/oci:demo"
umoci unpack --image "$work/oci:demo" "$work/bundle" >/dev/null
cp -a "$work/rootfs/." "$work/bundle/rootfs/"
umoci repack --refresh-bundle --image "$work/oci:demo" --history.created_by "COPY debian-bookworm-packages /" "$work/bundle"

# ------------------------------------------------------------------ L1: PyPI
site=/usr/local/lib/python3.11/site-packages
mkdir -p "$work/bundle/rootfs$site"
pip3 install --quiet --no-deps --no-compile --no-cache-dir --target "$work/bundle/rootfs$site" requests==2.19.1 urllib3==1.24.1
rm -rf "$work/bundle/rootfs$site/bin"
umoci repack --refresh-bundle --image "$work/oci:demo" \
  --history.created_by "RUN pip install --no-deps requests==2.19.1 urllib3==1.24.1" "$work/bundle"

# ------------------------------------------------------------------ L2: npm
mkdir -p "$work/bundle/rootfs/srv/app"
(cd "$work/bundle/rootfs/srv/app" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --save-exact lodash@4.17.4 >/dev/null)
umoci repack --refresh-bundle --image "$work/oci:demo" \
  --history.created_by "RUN cd /srv/app && npm install lodash@4.17.4" "$work/bundle"

# ------------------------------------------------------------------ L3/L4: fake secret, then deleted
mkdir -p "$work/bundle/rootfs/root/.aws"
key_id="AKIA$(head -c 4096 /dev/urandom | tr -dc 'A-Z2-7' | head -c 16)"
secret=$(head -c 4096 /dev/urandom | tr -dc 'A-Za-z0-9' | head -c 40)
printf '[default]\n# FAKE demo credentials, never issued\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$secret" \
  > "$work/bundle/rootfs/root/.aws/credentials"
umoci repack --refresh-bundle --image "$work/oci:demo" \
  --history.created_by "COPY credentials /root/.aws/credentials" "$work/bundle"
rm -f "$work/bundle/rootfs/root/.aws/credentials"
umoci repack --refresh-bundle --image "$work/oci:demo" \
  --history.created_by "RUN rm /root/.aws/credentials" "$work/bundle"

umoci config --image "$work/oci:demo" --os linux --architecture amd64 \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  --config.cmd node --config.workingdir /srv/app \
  --config.label org.opencontainers.image.title=palisade-demo \
  --history.created_by 'CMD ["node"]'
umoci gc --layout "$work/oci"
rm -rf "$out"; mkdir -p "$(dirname "$out")"
# skopeo normalises the layout (one manifest, tag "demo").
skopeo copy --quiet "oci:$work/oci:demo" "oci:$out:demo"
du -sh "$out"
