use super::util::{external_stages, image_ref};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF001",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Base image uses the :latest tag",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "`:latest` moves: the same Dockerfile builds a different image tomorrow, and a compromised or broken upstream push lands silently.",
            fix: "Use a specific version tag, ideally with a digest (`image:1.2.3@sha256:...`).",
            bad_example: "FROM debian:latest",
            good_example: "FROM debian:12.5",
        },
        related: &["DL3007"],
        partial: &[
            Partial::new(
                "DS-0001",
                "On the corpus Trivy passes every `FROM image:latest` line this rule flags (a single-stage `FROM alpine:latest`, `:latest` build stages); hadolint's DL3007 agrees with this rule.",
            ),
            Partial::new(
                "CKV_DOCKER_7",
                "Checkov's check is this rule and DF002 together, and it also flags `FROM ${ARG}` whose default has a tag (this rule reads the default).",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#from"],
    },
    check,
    fires: &["FROM debian:latest", "FROM debian:latest AS b\nFROM alpine:3.19"],
    passes: &["FROM debian:12", "FROM debian:latest@sha256:7959ed6f7e35f8b1aaa06d1d8259d4ee25aa85a086d5c125480c333183f9deeb", "FROM scratch"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    external_stages(ctx)
        .filter(|(s, _)| {
            image_ref(&s.image).is_some_and(|r| r.tag() == Some("latest") && r.digest().is_none())
        })
        .map(|(s, ins)| {
            Hit::at(
                ins,
                format!("base image {} uses the mutable :latest tag", s.image),
            )
        })
        .collect()
}
