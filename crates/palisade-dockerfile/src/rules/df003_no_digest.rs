use super::util::{external_stages, image_ref};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF003",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Base image is not pinned by digest",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Tags can be re-pointed by whoever controls the repository; only a digest names exactly the bytes you reviewed.",
            fix: "Append the digest to the tag (`image:tag@sha256:...`) and let a bot (Renovate, Dependabot) update it.",
            bad_example: "FROM python:3.12-slim",
            good_example: "FROM python:3.12-slim@sha256:3f1a1b3e0a8c4e1b6f7d1e2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#from"],
    },
    check,
    fires: &["FROM python:3.12-slim"],
    passes: &["FROM python:3.12@sha256:3f1a1b3e0a8c4e1b6f7d1e2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3a2", "FROM scratch", "FROM debian", "FROM debian:latest"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    // Untagged and :latest images already get DF001/DF002; this one is about tags that look fixed.
    external_stages(ctx)
        .filter(|(s, _)| {
            image_ref(&s.image)
                .is_some_and(|r| r.digest().is_none() && r.tag().is_some_and(|t| t != "latest"))
        })
        .map(|(s, ins)| {
            Hit::at(
                ins,
                format!("base image {} is not pinned by digest", s.image),
            )
        })
        .collect()
}
