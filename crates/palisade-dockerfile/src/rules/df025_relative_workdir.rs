use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF025",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Relative WORKDIR",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "A relative WORKDIR depends on the previous one, including the base image's, so files land in places nobody reviewed.",
            fix: "Use absolute paths in WORKDIR.",
            bad_example: "WORKDIR app",
            good_example: "WORKDIR /app",
        },
        related: &["DL3000", "DS-0009", "CKV_DOCKER_10"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#workdir"],
    },
    check,
    fires: &["WORKDIR relative/dir", "WORKDIR \"../x\""],
    passes: &["WORKDIR /usr/local", "WORKDIR ${work}", "WORKDIR C:/", "WORKDIR c:\\\\windows"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("WORKDIR")
        .filter(|i| {
            let p = i.args.trim().trim_matches(['"', '\'']);
            let windows =
                p.len() >= 2 && p.as_bytes()[1] == b':' && p.as_bytes()[0].is_ascii_alphabetic();
            !p.is_empty() && !p.starts_with('/') && !p.starts_with('$') && !windows
        })
        .map(|i| Hit::at(i, "WORKDIR is a relative path"))
        .collect()
}
