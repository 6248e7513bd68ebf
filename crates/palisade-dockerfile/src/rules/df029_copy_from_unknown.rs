use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF029",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "COPY --from names no earlier stage",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "`--from=name` that is not an earlier stage is pulled as an image from a registry: a typo silently copies files from whatever image has that name.",
            fix: "Define the stage (`FROM ... AS name`) before copying from it, or write a full image reference.",
            bad_example: "FROM alpine:3.19\nCOPY --from=biuld /out /app",
            good_example: "FROM golang:1.22 AS build\nRUN go build -o /out ./...\nFROM alpine:3.19\nCOPY --from=build /out /app",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3022",
                "hadolint also flags `COPY --from=<image>` naming an image rather than a stage, which BuildKit allows; this rule does not.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/multi-stage/"],
    },
    check,
    fires: &["COPY --from=foo bar .", "FROM scratch\nCOPY --from=build foo .\nFROM node as build", "COPY --from=0 bar ."],
    passes: &["FROM scratch as build\nFROM node\nCOPY --from=build foo .", "COPY --from=haskell:latest bar .", "FROM scratch\nFROM node\nCOPY --from=0 foo ."],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let df = ctx.df;
    df.instructions
        .iter()
        .filter(|i| i.is("COPY"))
        .filter_map(|i| {
            let from = i.flag_value("from")?;
            if from.contains([':', '/', '@', '$']) {
                return None;
            }
            let current = i.stage.map(|s| s + 1).unwrap_or(0);
            let known = match from.parse::<usize>() {
                Ok(n) => n < current,
                // The first stage of that name, found by hash: scanning the stages for each
                // COPY made 40,000 stages take 27 s.
                Err(_) => df.stage_by_name(from).is_some_and(|s| s.index < current),
            };
            (!known).then(|| {
                Hit::at(
                    i,
                    format!("COPY --from={from} does not name an earlier stage"),
                )
            })
        })
        .collect()
}
