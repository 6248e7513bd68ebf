use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF031",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Duplicate stage name",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "With two stages of the same name, `COPY --from` and `FROM name` silently pick one of them; files come from a stage nobody meant.",
            fix: "Give every stage a unique name.",
            bad_example: "FROM node:20 AS build\nFROM golang:1.22 AS build",
            good_example: "FROM node:20 AS web\nFROM golang:1.22 AS api",
        },
        related: &["DL3024", "DS-0012", "CKV_DOCKER_11"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/multi-stage/"],
    },
    check,
    fires: &["FROM node as foo\nFROM scratch as foo"],
    passes: &["FROM scratch as build\nFROM node as run"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    // Aliases seen so far as a set: comparing each stage with every earlier one is quadratic.
    let mut seen = std::collections::HashSet::new();
    df.stages
        .iter()
        .filter_map(|s| {
            let a = s.alias.as_deref()?;
            (!seen.insert(a.to_ascii_lowercase())).then_some((s, a))
        })
        .filter_map(|(s, a)| {
            df.instructions
                .get(s.from)
                .map(|i| Hit::at(i, format!("stage name {a} is used twice")))
        })
        .collect()
}
