use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF024",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Missing OCI source label",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without `org.opencontainers.image.source` (and revision) nobody can trace an image back to the code that built it, which slows incident response and provenance checks.",
            fix: "Add `LABEL org.opencontainers.image.source=<repo URL>` (and `org.opencontainers.image.revision`, `.version`).",
            bad_example: "FROM alpine:3.19\nCMD [\"app\"]",
            good_example: "FROM alpine:3.19\nLABEL org.opencontainers.image.source=\"https://github.com/org/app\"\nCMD [\"app\"]",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://github.com/opencontainers/image-spec/blob/main/annotations.md"],
    },
    check,
    fires: &["FROM alpine:3.19\nCMD [\"app\"]"],
    passes: &["FROM alpine:3.19\nLABEL org.opencontainers.image.source=https://x", "RUN x"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    let Some(last) = df.stages.last() else {
        return Vec::new();
    };
    let has = df
        .instructions
        .iter()
        .filter(|i| i.is("LABEL") && i.stage.is_some_and(|s| df.in_final_chain(s)))
        .any(|i| {
            i.pairs()
                .iter()
                .any(|(k, _)| k.trim_matches(['"', '\'']) == "org.opencontainers.image.source")
        });
    if has {
        return Vec::new();
    }
    match df.instructions.get(last.from) {
        Some(i) => vec![Hit {
            span: i.span,
            message: "the final image has no org.opencontainers.image.source label".into(),
            evidence: None,
        }],
        None => Vec::new(),
    }
}
