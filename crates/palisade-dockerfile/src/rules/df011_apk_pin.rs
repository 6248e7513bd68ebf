use super::util::{packages, with_sub};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF011",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apk add without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why:
                "Unpinned packages make builds irreproducible and can pull in unreviewed releases.",
            fix: "Pin versions (`pkg=1.2.3-r0` or `pkg~1.2`).",
            bad_example: "RUN apk add --no-cache curl",
            good_example: "RUN apk add --no-cache curl=8.5.0-r0",
        },
        related: &["DL3018"],
        partial: &[],
        compliance: &[],
        references: &["https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper"],
    },
    check,
    fires: &["RUN apk add flex", "RUN apk add --no-cache flex=2 libffi"],
    passes: &[
        "RUN apk add flex=2.6.4-r1",
        "RUN apk add --no-cache \"python3<3.12\" git~2.52",
        "RUN apk add --virtual deps a=1",
        "RUN apk add x.apk",
    ],
};

const VALUE_OPTS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--repositories-file",
    "--arch",
    "--cache-dir",
    "--keys-dir",
];

fn pinned(p: &str) -> bool {
    p.contains(['=', '~', '<', '>', '$']) || p.ends_with(".apk")
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            with_sub(s, &["apk"], &["add"], VALUE_OPTS)
                .any(|c| packages(c, VALUE_OPTS).iter().any(|p| !pinned(p)))
        })
        .map(|(_, ins, _)| Hit::at(ins, "apk add of packages without a pinned version"))
        .collect()
}
