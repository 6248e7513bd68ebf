use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF050",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Both curl and wget used",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Two download tools double the attack surface and the CVEs of the image for no gain.",
            fix: "Pick one of curl and wget and use it everywhere in the stage.",
            bad_example: "RUN wget https://x/a\nRUN curl -O https://x/b",
            good_example: "RUN curl -fsSLO https://x/a && curl -fsSLO https://x/b",
        },
        related: &["DL4001"],
        partial: &[
            Partial::new(
                "DS-0014",
                "Trivy fires when one RUN uses both tools and also reads quoted `sh -c` strings; this rule fires when one stage uses both, across RUN instructions, on commands it parses.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/"],
    },
    check,
    fires: &["FROM node as foo\nRUN wget my.xyz\nRUN curl localhost", "FROM node\nRUN wget my.xyz && curl localhost"],
    passes: &["FROM node\nRUN wget my.xyz", "FROM node as foo\nRUN wget my.xyz\nFROM scratch\nRUN curl localhost"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut state: Vec<(Option<usize>, bool, bool, bool)> = Vec::new();
    for (_, ins, s) in ctx.runs() {
        let idx = match state.iter().position(|e| e.0 == ins.stage) {
            Some(i) => i,
            None => {
                state.push((ins.stage, false, false, false));
                state.len() - 1
            }
        };
        let e = &mut state[idx];
        e.1 |= s.named(&["curl"]).next().is_some();
        e.2 |= s.named(&["wget"]).next().is_some();
        if e.1 && e.2 && !e.3 {
            e.3 = true;
            out.push(Hit::at(ins, "this stage uses both curl and wget"));
        }
    }
    out
}
