use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF046",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Deprecated MAINTAINER",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "MAINTAINER is deprecated and invisible to tools that read OCI labels, so ownership of the image gets lost.",
            fix: "Use `LABEL org.opencontainers.image.authors=...`.",
            bad_example: "MAINTAINER jane@example.com",
            good_example: "LABEL org.opencontainers.image.authors=\"jane@example.com\"",
        },
        related: &["DL4000", "DS-0022", "CKV_DOCKER_6"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#maintainer-deprecated"],
    },
    check,
    fires: &["FROM busybox\nMAINTAINER hudu@mail.com"],
    passes: &["FROM debian"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("MAINTAINER")
        .map(|i| Hit::at(i, "MAINTAINER is deprecated"))
        .collect()
}
