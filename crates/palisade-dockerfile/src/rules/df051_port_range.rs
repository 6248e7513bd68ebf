use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF051",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "EXPOSE port out of range",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Ports above 65535 do not exist; the instruction is a mistake and the intended port is not documented.",
            fix: "Expose a port between 0 and 65535.",
            bad_example: "EXPOSE 80000",
            good_example: "EXPOSE 8000",
        },
        related: &["DL3011", "DS-0008"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#expose"],
    },
    check,
    fires: &["EXPOSE 80000", "EXPOSE 40000-80000/tcp"],
    passes: &["EXPOSE 60000", "EXPOSE ${PORT}", "EXPOSE 40000-${X}"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("EXPOSE")
        .filter(|i| {
            i.words().iter().any(|w| {
                let ports = w.split('/').next().unwrap_or("");
                ports
                    .split('-')
                    .any(|p| p.parse::<u64>().is_ok_and(|n| n > 65535))
            })
        })
        .map(|i| Hit::at(i, "EXPOSE names a port above 65535"))
        .collect()
}
