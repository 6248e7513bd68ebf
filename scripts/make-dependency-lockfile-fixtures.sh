#!/usr/bin/env bash
# Regenerates crates/palisade-inventory/fixtures/dependency-internal/npm/: a real `npm install`
# of packages that were published with their own development lockfiles, so the fixture holds
# lockfiles that sit inside node_modules exactly as npm leaves them:
#   css-line-break@1.0.1   ships package-lock.json (~90 KB, its dev tools: babel, eslint, ...)
#   combined-stream@1.0.8  ships yarn.lock
# (checked with `npm pack --dry-run --json NAME@VERSION`; handlebars 4.5-4.7 ship none).
# Only package.json files and lockfiles are kept, no package code, so the fixture stays small.
# Next to the tree, expected-npm-ls.json is what npm itself says is installed.
# With IMAGE_OUT=DIR it also writes an OCI image layout (tag "npm-locks") of the whole
# install, package code included, for measuring scans of an image (not committed).
# Needs: node + npm (+ umoci for IMAGE_OUT). Network: the npm registry.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/crates/palisade-inventory/fixtures/dependency-internal/npm"
WORK="$(mktemp -d /tmp/dep-lock-fixtures.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
NPM_REG=https://registry.npmjs.org/

app="$WORK/srv/app"
mkdir -p "$app"
cat > "$app/package.json" <<'JSON'
{
  "name": "dep-lock-app",
  "version": "2.1.0",
  "private": true,
  "license": "MIT"
}
JSON
(cd "$app" && npm install --registry "$NPM_REG" --no-audit --no-fund --save-exact \
  css-line-break@1.0.1 combined-stream@1.0.8 >/dev/null)
(cd "$app" && npm ls --all --json) > "$WORK/expected-npm-ls.json"

rm -rf "$OUT"; mkdir -p "$OUT"
(cd "$WORK" && find srv \( -name package.json -o -name package-lock.json -o -name yarn.lock \
  -o -name npm-shrinkwrap.json -o -name pnpm-lock.yaml -o -name .package-lock.json \) -print0 \
  | while IFS= read -r -d '' f; do mkdir -p "$OUT/$(dirname "$f")"; cp "$f" "$OUT/$f"; done)
cp "$WORK/expected-npm-ls.json" "$OUT/"
if [ -n "${IMAGE_OUT:-}" ]; then
  command -v umoci >/dev/null || { apt-get update -qq && apt-get install -y -qq umoci >/dev/null; }
  rm -rf "$IMAGE_OUT"
  umoci init --layout "$IMAGE_OUT"
  umoci new --image "$IMAGE_OUT:npm-locks"
  umoci unpack --rootless --image "$IMAGE_OUT:npm-locks" "$WORK/bundle"
  cp -a "$WORK/srv" "$WORK/bundle/rootfs/"
  umoci repack --image "$IMAGE_OUT:npm-locks" \
    --history.created_by "RUN cd /srv/app && npm install css-line-break@1.0.1 combined-stream@1.0.8" "$WORK/bundle"
  umoci config --image "$IMAGE_OUT:npm-locks" --os linux --architecture amd64 --config.workingdir /srv/app
  umoci gc --layout "$IMAGE_OUT"
  du -sh "$IMAGE_OUT"
fi
echo "lockfiles inside node_modules:"
(cd "$OUT" && find srv -path '*node_modules/*' \( -name package-lock.json -o -name yarn.lock \) | sort)
du -sh "$OUT"
