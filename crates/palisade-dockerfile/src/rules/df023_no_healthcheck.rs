use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF023",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "No HEALTHCHECK",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a health check the engine cannot tell a hung service from a healthy one, so it is never restarted or taken out of rotation.",
            fix: "Add a `HEALTHCHECK` (or `HEALTHCHECK NONE` to state that the orchestrator probes it).",
            bad_example: "FROM nginx:1.25\nCOPY site /usr/share/nginx/html",
            good_example: "FROM nginx:1.25\nCOPY site /usr/share/nginx/html\nHEALTHCHECK CMD curl -fs http://localhost/ || exit 1",
        },
        related: &["DS-0026", "CKV_DOCKER_2"],
        partial: &[],
        compliance: &["CIS-Docker-4.6"],
        references: &["https://docs.docker.com/reference/dockerfile/#healthcheck"],
    },
    check,
    fires: &["FROM nginx:1.25\nCOPY a /b"],
    passes: &["FROM nginx:1.25\nHEALTHCHECK CMD curl -f http://localhost/", "FROM alpine:3\nHEALTHCHECK NONE", "RUN x"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    let Some(last) = df.stages.last() else {
        return Vec::new();
    };
    if df
        .instructions
        .iter()
        .any(|i| i.is("HEALTHCHECK") && !i.onbuild)
    {
        return Vec::new();
    }
    match df.instructions.get(last.from) {
        Some(i) => vec![Hit {
            span: i.span,
            message: "the image defines no HEALTHCHECK".into(),
            evidence: None,
        }],
        None => Vec::new(),
    }
}
