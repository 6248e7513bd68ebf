use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF030",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "COPY --from refers to its own stage",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "A stage cannot copy from itself; BuildKit then looks the name up as a registry image, so the build copies files from an unknown source.",
            fix: "Copy from the stage that produced the files.",
            bad_example: "FROM node:20 AS app\nCOPY --from=app /x /y",
            good_example: "FROM node:20 AS build\nFROM node:20 AS app\nCOPY --from=build /x /y",
        },
        related: &["DL3023", "DS-0006"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/multi-stage/"],
    },
    check,
    fires: &["FROM node as foo\nCOPY --from=foo bar ."],
    passes: &["FROM scratch as build\nFROM node as run\nCOPY --from=build foo ."],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    df.instructions
        .iter()
        .filter(|i| i.is("COPY") && !i.onbuild)
        .filter_map(|i| {
            let from = i.flag_value("from")?;
            let alias = df.stages.get(i.stage?)?.alias.as_deref()?;
            alias
                .eq_ignore_ascii_case(from)
                .then(|| Hit::at(i, format!("COPY --from={from} refers to the current stage")))
        })
        .collect()
}
