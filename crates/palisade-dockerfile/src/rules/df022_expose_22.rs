use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF022",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "SSH port 22 exposed",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "An SSH daemon in a container is an extra, long-lived way in with its own credentials to manage; containers should be entered with `docker exec`/`kubectl exec`.",
            fix: "Remove `EXPOSE 22` and the SSH server.",
            bad_example: "EXPOSE 22",
            good_example: "EXPOSE 8080",
        },
        related: &["DS-0004", "CKV_DOCKER_1"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#expose"],
    },
    check,
    fires: &["EXPOSE 8080 22", "EXPOSE 22/tcp"],
    passes: &["EXPOSE 8080", "EXPOSE 2222"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("EXPOSE")
        .filter(|i| i.words().iter().any(|w| w.split('/').next() == Some("22")))
        .map(|i| Hit::at(i, "port 22 (SSH) is exposed"))
        .collect()
}
