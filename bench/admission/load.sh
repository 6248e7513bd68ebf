#!/usr/bin/env bash
# Load test of the admission webhook on this machine: `palisade admission serve` on
# 127.0.0.1 with Pod Security `restricted` enforced, Palisade's Kubernetes rules at HIGH and
# 20 Gatekeeper library constraints that apply to Pods; wrk (or hey) posts the GKE Pod CREATE
# AdmissionReview from the corpus for DURATION over CONNS connections. Prints requests/s, p50
# and p99, then stops the server. Loopback only; bounded by DURATION.
#
#   bench/admission/load.sh                    # from the repository root
#   CONNS=2 bench/admission/load.sh            # the issue's bar (docs/benchmarks.md)
#   PALISADE=target/release/palisade DURATION=20s CONNS=16 TOOL=hey bench/admission/load.sh
#
# Environment: PALISADE (else builds target/release/palisade), CORPUS (../shared/corpus),
# REVIEW (the AdmissionReview to post), ENDPOINT (/validate or /mutate), PORT (18443),
# DURATION (20s), CONNS (16), THREADS (wrk threads, 1), TOOL (wrk|hey; default: whichever is
# installed, else installs wrk with apt-get), SERVER_CPUS / LOAD_CPUS (taskset CPU lists, e.g.
# 0 and 1, to keep the server and the load generator off each other's core), KEEP=1 keeps the
# temporary directory (certs, admission.yaml, policies, server log).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"
CORPUS="${CORPUS:-$repo/../shared/corpus}"
REVIEW="${REVIEW:-$CORPUS/policy/admission/kube-rs/admission_review_v1_pod_create.json}"
GKLIB="$CORPUS/policy/gatekeeper-library/library"
ENDPOINT="${ENDPOINT:-/validate}"
PORT="${PORT:-18443}"
DURATION="${DURATION:-20s}"
CONNS="${CONNS:-16}"
THREADS="${THREADS:-1}"
TOOL="${TOOL:-}"

die() { echo "load.sh: $*" >&2; exit 1; }

[ -f "$REVIEW" ] || die "no AdmissionReview at $REVIEW (set CORPUS or REVIEW)"
[ -d "$GKLIB" ] || die "no Gatekeeper library at $GKLIB (set CORPUS)"
command -v curl >/dev/null || die "curl is needed for the readiness check and the sample review"

if [ -z "${PALISADE:-}" ]; then
  cargo build --release -q -p palisade
  PALISADE="$repo/target/release/palisade"
fi
[ -x "$PALISADE" ] || die "no palisade binary at $PALISADE"
for sub in serve certs; do
  "$PALISADE" admission "$sub" --help >/dev/null 2>&1 \
    || die "'$PALISADE admission $sub' is missing: this build has no admission webhook server yet"
done

# The load generator: wrk (Debian's is built with OpenSSL: https works, the certificate is
# not verified) or hey (skips verification too). Installed with apt-get when neither is there.
if [ -z "$TOOL" ]; then
  if command -v wrk >/dev/null; then TOOL=wrk
  elif command -v hey >/dev/null; then TOOL=hey
  else TOOL=wrk
  fi
fi
case "$TOOL" in wrk | hey) ;; *) die "TOOL must be wrk or hey, not $TOOL" ;; esac
if ! command -v "$TOOL" >/dev/null; then
  command -v apt-get >/dev/null && [ "$(id -u)" = 0 ] \
    || die "$TOOL is not installed (apt-get install -y $TOOL)"
  echo "installing $TOOL with apt-get" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$TOOL" >/dev/null 2>&1 || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$TOOL" >/dev/null
  } || die "could not install $TOOL"
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# Certificates as for the cluster; the readiness check resolves the Service name to 127.0.0.1
# and verifies the chain against ca.crt.
"$PALISADE" admission certs --service palisade --namespace palisade-system --out "$tmp/certs" >/dev/null
for f in ca.crt tls.crt tls.key; do [ -s "$tmp/certs/$f" ] || die "admission certs wrote no $f"; done
host=palisade.palisade-system.svc

# 20 Gatekeeper library constraints that match Pods (one per template), each with its template.
constraints=(
  general/allowedrepos/samples/repo-must-be-openpolicyagent
  general/automount-serviceaccount-token/samples/automount-serviceaccount-token
  general/containerlimits/samples/container-must-have-limits
  general/containerrequests/samples/container-must-have-requests
  general/disallowedrepos/samples/repo-must-not-be-k8s-gcr-io
  general/disallowedtags/samples/container-image-must-not-have-latest-tag
  general/disallowinteractive/samples/no-interactive-containers
  general/ephemeralstoragelimit/samples/container-must-have-ephemeral-storage-limit
  general/requiredlabels/samples/verify-label-key-only
  pod-security-policy/allow-privilege-escalation/samples/psp-allow-privilege-escalation-container
  pod-security-policy/apparmor/samples/psp-apparmor
  pod-security-policy/capabilities/samples/psp-capabilities-restricted
  pod-security-policy/forbidden-sysctls/samples/psp-forbidden-sysctls
  pod-security-policy/host-filesystem/samples/psp-host-filesystem
  pod-security-policy/host-namespaces/samples/psp-host-namespace
  pod-security-policy/host-network-ports/samples/psp-host-network-ports
  pod-security-policy/privileged-containers/samples/psp-privileged-container
  pod-security-policy/proc-mount/samples/psp-proc-mount
  pod-security-policy/read-only-root-filesystem/samples/psp-readonlyrootfilesystem
  pod-security-policy/seccompv2/samples/psp-seccomp-restricted
)
mkdir -p "$tmp/policies"
for c in "${constraints[@]}"; do
  template="$GKLIB/${c%%/samples/*}/template.yaml"
  [ -f "$template" ] && [ -f "$GKLIB/$c/constraint.yaml" ] || die "missing $c in $GKLIB"
  name="$(basename "$c")"
  mkdir -p "$tmp/policies/$name"
  cp "$template" "$tmp/policies/$name/template.yaml"
  cp "$GKLIB/$c/constraint.yaml" "$tmp/policies/$name/constraint.yaml"
done

# Fields: docs/admission-config.schema.json.
cat >"$tmp/admission.yaml" <<YAML
# Deny what Pod Security "restricted" (latest) forbids.
podSecurity:
  defaults:
    enforce: restricted
    enforce-version: latest
# Deny on Palisade's own Kubernetes rules at HIGH or CRITICAL.
kubernetesRules:
  severity: HIGH
  action: deny
# Gatekeeper ConstraintTemplates and constraints, as \`palisade config --policy\` loads them.
policies:
  paths:
    - $tmp/policies
# Images from other registries are denied.
images:
  allowedRegistries:
    - docker.io/
    - ghcr.io/
    - registry.k8s.io/
YAML

pin() { # CPU-LIST COMMAND...: run under taskset when a list is given
  local cpus="$1"; shift
  if [ -n "$cpus" ] && command -v taskset >/dev/null; then taskset -c "$cpus" "$@"; else "$@"; fi
}
spawn() { # CPU-LIST COMMAND...: as pin, for `spawn … &`: exec makes $! the command itself,
  # which cleanup can then stop (a backgrounded function is a subshell of its own).
  local cpus="$1"; shift
  if [ -n "$cpus" ] && command -v taskset >/dev/null; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi
}

spawn "${SERVER_CPUS:-}" "$PALISADE" admission serve --config "$tmp/admission.yaml" \
  --tls-cert "$tmp/certs/tls.crt" --tls-key "$tmp/certs/tls.key" \
  --listen "127.0.0.1:$PORT" >"$tmp/server.log" 2>&1 &
server_pid=$!

curl_tls=(--silent --show-error --max-time 5 --cacert "$tmp/certs/ca.crt" --resolve "$host:$PORT:127.0.0.1")
ready=""
for _ in $(seq 1 100); do # up to ~20 s
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.log" >&2; die "the server exited"; }
  if curl "${curl_tls[@]}" --fail -o /dev/null "https://$host:$PORT/readyz" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.2
done
[ -n "$ready" ] || { cat "$tmp/server.log" >&2; die "not ready on https://127.0.0.1:$PORT/readyz within 20 s"; }

# One review first: it must be an AdmissionReview answering the request's uid.
uid="$(grep -o '"uid":"[^"]*"' "$REVIEW" | head -1 | cut -d'"' -f4)"
sample="$(curl "${curl_tls[@]}" --fail -H 'Content-Type: application/json' \
  --data-binary "@$REVIEW" "https://$host:$PORT$ENDPOINT")" || die "POST $ENDPOINT failed"
case "$sample" in
  *'"AdmissionReview"'*"\"$uid\""* | *"\"$uid\""*'"AdmissionReview"'*) ;;
  *) die "POST $ENDPOINT answered no AdmissionReview for uid $uid: ${sample:0:300}" ;;
esac
allowed="$(printf '%s' "$sample" | grep -o '"allowed":[a-z]*' | head -1 | cut -d: -f2)"
echo "server: $("$PALISADE" version 2>/dev/null | head -1)"
echo "review: $(basename "$REVIEW") -> $ENDPOINT allowed=${allowed:-?}; policies: ${#constraints[@]} Gatekeeper constraints"
echo "load: $TOOL, $CONNS connections, $DURATION"

url="https://127.0.0.1:$PORT$ENDPOINT"
if [ "$TOOL" = wrk ]; then
  cat >"$tmp/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open("$REVIEW", "rb"))
wrk.body = f:read("*a")
f:close()
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.3f %.3f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout))
end
LUA
  pin "${LOAD_CPUS:-}" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$tmp/post.lua" "$url" >"$tmp/load.txt"
  read -r rps p50 p99 total errors < <(grep '^RESULT ' "$tmp/load.txt" | cut -d' ' -f2-)
else
  # hey sends its Host header (with the port, for a URL without -host) as the TLS server
  # name; "127.0.0.1:PORT" is no DNS name and rustls refuses it (alert illegal_parameter),
  # so hey names the Service host as the API server does.
  pin "${LOAD_CPUS:-}" hey -z "$DURATION" -c "$CONNS" -host "$host" -m POST -T application/json -D "$REVIEW" "$url" >"$tmp/load.txt"
  rps="$(awk '/Requests\/sec:/ {print $2}' "$tmp/load.txt")"
  p50="$(awk '$1 == "50%" {printf "%.3f", $3 * 1000}' "$tmp/load.txt")"
  p99="$(awk '$1 == "99%" {printf "%.3f", $3 * 1000}' "$tmp/load.txt")"
  total="$(awk '/\[200\]/ {s += $2} END {print s + 0}' "$tmp/load.txt")"
  errors="$(awk '/^Error distribution:/ {e = 1; next} e && match($0, /\[[0-9]+\]/) {n += substr($0, RSTART + 1, RLENGTH - 2)} END {print n + 0}' "$tmp/load.txt")"
fi
[ -n "${rps:-}" ] || { cat "$tmp/load.txt" >&2; die "could not read $TOOL's output"; }
echo "requests/s: $rps"
echo "p50: $p50 ms"
echo "p99: $p99 ms"
echo "requests: $total, errors: $errors"
[ "${errors:-0}" = 0 ] || { tail -20 "$tmp/load.txt" >&2; echo "load.sh: $errors requests failed" >&2; exit 1; }
