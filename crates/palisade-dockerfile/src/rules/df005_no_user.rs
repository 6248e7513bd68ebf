use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity, Span};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF005",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Final image sets no USER",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Without a `USER` the container runs as root unless every deployment remembers to override it.",
            fix: "Create an unprivileged user and end the final stage with `USER <name or uid>`.",
            bad_example: "FROM alpine:3.19\nCMD [\"app\"]",
            good_example: "FROM alpine:3.19\nRUN adduser -D -u 10001 app\nUSER 10001\nCMD [\"app\"]",
        },
        related: &["DS-0002", "CKV_DOCKER_3"],
        partial: &[],
        compliance: &["CIS-Docker-4.1"],
        references: &["https://docs.docker.com/build/building/best-practices/#user"],
    },
    check,
    fires: &["FROM alpine:3.19\nCMD [\"app\"]", "FROM a AS b\nUSER app\nFROM alpine:3.19\nRUN x"],
    passes: &["FROM alpine:3.19\nUSER app", "FROM a AS b\nUSER app\nFROM b\nRUN x", "RUN echo no stage"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    let Some(last) = df.stages.last() else {
        return Vec::new();
    };
    let has_user = df
        .instructions
        .iter()
        .any(|i| i.is("USER") && !i.onbuild && i.stage.is_some_and(|s| df.in_final_chain(s)));
    if has_user {
        return Vec::new();
    }
    let span = df
        .instructions
        .get(last.from)
        .map(|i| i.span)
        .unwrap_or_else(|| Span::line(1));
    vec![Hit {
        span,
        message: "the final stage never sets USER, so the container runs as root".into(),
        evidence: None,
    }]
}
