use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF044",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Multiple CMD instructions in one stage",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Only the last CMD of a stage takes effect; earlier ones mislead reviewers about what the container really runs.",
            fix: "Keep a single CMD per stage.",
            bad_example: "FROM debian:12\nCMD [\"a\"]\nCMD [\"b\"]",
            good_example: "FROM debian:12\nCMD [\"b\"]",
        },
        related: &["DL4003", "DS-0016"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/"],
    },
    check,
    fires: &["FROM debian\nCMD bash\nRUN foo\nCMD another"],
    passes: &["FROM debian as a\nCMD bash\nFROM debian as b\nCMD another", "CMD /bin/true"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut seen: Vec<Option<usize>> = Vec::new();
    let mut out = Vec::new();
    for i in ctx.all("CMD").filter(|i| !i.onbuild) {
        if seen.contains(&i.stage) {
            out.push(Hit::at(
                i,
                "another CMD earlier in this stage is overridden",
            ));
        } else {
            seen.push(i.stage);
        }
    }
    out
}
