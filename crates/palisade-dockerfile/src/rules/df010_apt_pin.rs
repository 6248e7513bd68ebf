use super::util::{packages, with_sub, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF010",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt-get install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Unpinned packages make builds irreproducible: the same Dockerfile installs different code on different days.",
            fix: "Pin versions (`pkg=1.2.3-1`) or install from a snapshot mirror.",
            bad_example: "RUN apt-get install -y curl",
            good_example: "RUN apt-get install -y curl=7.88.1-10+deb12u5",
        },
        related: &["DL3008"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    check,
    fires: &["RUN apt-get update && apt-get install python"],
    passes: &["RUN apt-get install -y python=1.2.2", "RUN apt-get install ./x_1.0_amd64.deb", "RUN apt-get install -t stable x=1"],
};

fn pinned(p: &str) -> bool {
    p.contains('=')
        || p.ends_with(".deb")
        || p.starts_with('/')
        || p.starts_with("./")
        || p.contains('$')
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            with_sub(s, &["apt-get"], &["install"], APT_VALUE_OPTS)
                .any(|c| packages(c, APT_VALUE_OPTS).iter().any(|p| !pinned(p)))
        })
        .map(|(_, ins, _)| Hit::at(ins, "apt-get install of packages without a pinned version"))
        .collect()
}
