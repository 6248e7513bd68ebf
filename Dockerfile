# syntax=docker/dockerfile:1
# Palisade's container image: the `palisade` CLI, which also serves the admission webhook
# (`palisade admission serve`, deploy/manifests) and runs the eBPF runtime sensor
# (`palisade runtime watch`, deploy/sensor). Build from the repository root:
#   docker build -t ghcr.io/example/palisade:dev .
# Then pin the pushed image by digest in deploy/manifests/kustomization.yaml (or the chart's
# values.yaml) and deploy/sensor/kustomization.yaml. docs/admission-deploy.md, "Image";
# docs/sensor-deploy.md.
#
# Base images are pinned by version tag; a release build replaces each tag with
# `tag@sha256:<digest>` (DF003 until then). No HEALTHCHECK: Kubernetes ignores it and the
# Deployment probes /healthz and /readyz over HTTPS; the final image has no shell or curl.

FROM rust:1.95-bookworm AS build
# The sensor's eBPF programs (feature `sensor`, crates/palisade-sensor): clang compiles them
# for the BPF target; libbpf is built from its vendored source against libelf and zlib, both
# linked statically (libelf.a, libz.a from the -dev packages, found with pkg-config), so the
# binary still links only glibc and libgcc_s. Pinned to bookworm's versions because they end
# up in the product: clang's decides the BPF bytecode the kernel's verifier sees, libelf and
# zlib are linked in. When a Debian update replaces one, apt-get fails on the old version:
# take the new one from `apt-cache policy PKG` in rust:1.95-bookworm. Before COPY, so a
# source change does not repeat the install.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       clang=1:14.0-55.7~deb12u1 clang-14=1:14.0.6-12 libelf-dev=0.188-2.1 \
       zlib1g-dev=1:1.2.13.dfsg-1+deb12u1 pkg-config=1.8.1-1 \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The cache mounts keep the registry and target/ between builds; the binary is copied out
# of the cached target/ in the same step. --locked: exactly Cargo.lock's versions.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release -p palisade --features sensor --locked \
    && install -m 0555 target/release/palisade /palisade

# distroless cc: glibc and libgcc_s (all the binary links; SQLite is bundled, TLS is rustls,
# libbpf, libelf and zlib are static), no shell, no package manager; `nonroot` runs as
# 65532:65532. The sensor's DaemonSet overrides that with uid 0 and five capabilities
# (deploy/sensor/daemonset.yaml); the webhook keeps 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="palisade" \
      org.opencontainers.image.description="Container security CLI, Kubernetes admission webhook and eBPF runtime sensor" \
      org.opencontainers.image.source="https://example.invalid/palisade" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /palisade /palisade
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/palisade"]
CMD ["--help"]
