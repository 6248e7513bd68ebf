use super::util::{packages, with_sub};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF013",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "npm install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "`npm install pkg` takes the newest release, which is how hijacked packages reach images.",
            fix: "Pin versions (`pkg@1.2.3`) or install from a lockfile with `npm ci`.",
            bad_example: "RUN npm install -g express",
            good_example: "RUN npm install -g express@4.19.2",
        },
        related: &["DL3016"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.npmjs.com/cli/commands/npm-ci"],
    },
    check,
    fires: &["RUN npm install express", "RUN npm install @org/pkg", "RUN npm install git://github.com/npm/npm.git"],
    passes: &["RUN npm install", "RUN npm install express@4.1.1 @org/p@\">=1\"", "RUN npm install ./folder x.tgz", "RUN npm install git://github.com/npm/npm.git#v1.0.27"],
};

const VALUE_OPTS: &[&str] = &[
    "--registry",
    "--loglevel",
    "--prefix",
    "--cache",
    "--userconfig",
    "--tag",
    "-w",
    "--workspace",
];

fn pinned(p: &str) -> bool {
    if p.contains("://") || p.starts_with("git+") || p.starts_with("github:") {
        return p.contains('#');
    }
    if p.starts_with(['/', '.', '~', '$'])
        || [".tar", ".tar.gz", ".tgz"].iter().any(|e| p.ends_with(e))
    {
        return true;
    }
    // `@scope/name@version`: a version is an `@` after the first character.
    // By characters: the first one may be multi-byte (found by fuzzing).
    p.chars().skip(1).any(|c| c == '@')
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            with_sub(s, &["npm"], &["install", "i", "add"], VALUE_OPTS)
                .any(|c| packages(c, VALUE_OPTS).iter().any(|p| !pinned(p)))
        })
        .map(|(_, ins, _)| Hit::at(ins, "npm install of packages without a pinned version"))
        .collect()
}
