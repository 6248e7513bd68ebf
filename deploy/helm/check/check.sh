#!/usr/bin/env bash
# Checks deploy/helm/palisade without Helm: renders it with render.go (text/template + sprig,
# from Debian's golang packages, installed when missing), compares the default rendering with
# `kubectl kustomize deploy/manifests` (label-only differences on the Namespace and the
# default-deny NetworkPolicy are expected), renders every optional branch, and scans the
# default rendering with `palisade config --compliance pss-restricted`.
#   deploy/helm/check/check.sh [PALISADE]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
palisade="${1:-$repo/target/release/palisade}"
gopath=/usr/share/gocode
if ! command -v go >/dev/null || [ ! -d "$gopath/src/github.com/Masterminds/sprig" ] \
  || [ ! -d "$gopath/src/github.com/ghodss/yaml" ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go \
    golang-github-masterminds-sprig-dev golang-github-ghodss-yaml-dev >/dev/null
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out"
cp "$here/render.go" "$tmp/src/main.go"
(cd "$tmp/src" && GO111MODULE=off GOPATH="$gopath" GOCACHE="$tmp/gocache" go build -o "$tmp/render" .)
"$tmp/render" "$repo/deploy/helm/palisade" >"$tmp/out/rendered.yaml"
kubectl kustomize "$repo/deploy/manifests" >"$tmp/kustomize.yaml"
python3 "$here/compare.py" "$tmp/kustomize.yaml" "$tmp/out/rendered.yaml"
cat >"$tmp/all-options.yaml" <<'YAML'
tls: {certManager: {enabled: true}, caBundle: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}
networkPolicy: {from: [{ipBlock: {cidr: 192.0.2.0/28}}]}
priorityClass: {create: true, name: palisade-webhook}
webhook: {excludedNamespaces: [kube-system, cert-manager]}
YAML
"$tmp/render" "$repo/deploy/helm/palisade" "$tmp/all-options.yaml" >"$tmp/options.yaml"
python3 -c 'import sys, yaml; print(len([d for d in yaml.safe_load_all(open(sys.argv[1])) if d]), "objects with every option")' "$tmp/options.yaml"
"$palisade" config "$tmp/out" --compliance pss-restricted --severity HIGH,CRITICAL --exit-code 1
