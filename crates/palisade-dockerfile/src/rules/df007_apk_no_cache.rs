use super::util::{has_mount, runs_where, with_sub};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF007",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apk add without --no-cache",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without `--no-cache` the package index stays in the layer, growing the image and shipping stale metadata.",
            fix: "Use `apk add --no-cache`, or a cache mount on /var/cache/apk.",
            bad_example: "RUN apk add curl=8.5.0-r0",
            good_example: "RUN apk add --no-cache curl=8.5.0-r0",
        },
        related: &["DL3019", "DS-0025"],
        partial: &[],
        compliance: &[],
        references: &["https://github.com/gliderlabs/docker-alpine/blob/master/docs/usage.md#disabling-cache"],
    },
    check,
    fires: &["RUN apk add flex=2.6.4-r1", "RUN --mount=type=cache,target=/var/cache/foo apk add -U curl=7.77.0"],
    passes: &["RUN apk add --no-cache flex=2.6.4-r1", "RUN --mount=type=cache,target=/var/cache/apk apk add curl=7.77.0"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "apk add without --no-cache keeps the package index in the layer",
        |ins, s| {
            !has_mount(ins, "/var/cache/apk")
                && with_sub(
                    s,
                    &["apk"],
                    &["add"],
                    &["-X", "--repository", "-t", "--virtual"],
                )
                .any(|c| !c.has_opt(&[], &["no-cache"]))
        },
    )
}
