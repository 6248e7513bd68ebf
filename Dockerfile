# syntax=docker/dockerfile:1
# Palisade's container image: the `palisade` CLI, which also serves the admission webhook
# (`palisade admission serve`, deploy/manifests). Build from the repository root:
#   docker build -t ghcr.io/example/palisade:dev .
# Then pin the pushed image by digest in deploy/manifests/kustomization.yaml (or the chart's
# values.yaml). docs/admission-deploy.md, "Image".
#
# Base images are pinned by version tag; a release build replaces each tag with
# `tag@sha256:<digest>` (DF003 until then). No HEALTHCHECK: Kubernetes ignores it and the
# Deployment probes /healthz and /readyz over HTTPS; the final image has no shell or curl.

FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
# The cache mounts keep the registry and target/ between builds; the binary is copied out
# of the cached target/ in the same step. --locked: exactly Cargo.lock's versions.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release -p palisade --locked \
    && install -m 0555 target/release/palisade /palisade

# distroless cc: glibc and libgcc_s (all the binary links; SQLite is bundled, TLS is rustls),
# no shell, no package manager; `nonroot` runs as 65532:65532.
FROM gcr.io/distroless/cc-debian12:nonroot
LABEL org.opencontainers.image.title="palisade" \
      org.opencontainers.image.description="Container security CLI and Kubernetes admission webhook" \
      org.opencontainers.image.source="https://example.invalid/palisade" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /palisade /palisade
USER 65532:65532
EXPOSE 8443
ENTRYPOINT ["/palisade"]
CMD ["--help"]
