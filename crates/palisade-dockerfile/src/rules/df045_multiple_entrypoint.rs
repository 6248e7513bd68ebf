use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF045",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Multiple ENTRYPOINT instructions in one stage",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Only the last ENTRYPOINT of a stage takes effect; earlier ones mislead reviewers about what the container really runs.",
            fix: "Keep a single ENTRYPOINT per stage.",
            bad_example: "FROM debian:12\nENTRYPOINT [\"a\"]\nENTRYPOINT [\"b\"]",
            good_example: "FROM debian:12\nENTRYPOINT [\"b\"]",
        },
        related: &["DL4004", "DS-0007"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/"],
    },
    check,
    fires: &["FROM debian\nENTRYPOINT bash\nRUN foo\nENTRYPOINT another"],
    passes: &["FROM debian as a\nENTRYPOINT bash\nFROM debian as b\nENTRYPOINT another", "ENTRYPOINT /bin/true"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut seen: Vec<Option<usize>> = Vec::new();
    let mut out = Vec::new();
    for i in ctx.all("ENTRYPOINT").filter(|i| !i.onbuild) {
        if seen.contains(&i.stage) {
            out.push(Hit::at(
                i,
                "another ENTRYPOINT earlier in this stage is overridden",
            ));
        } else {
            seen.push(i.stage);
        }
    }
    out
}
