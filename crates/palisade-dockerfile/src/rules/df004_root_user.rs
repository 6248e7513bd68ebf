use super::{Ctx, Hit, Rule};
use crate::parser::Instruction;
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF004",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Last USER of a stage is root",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A container running as root turns any code-execution bug into root in the container and eases escapes to the host.",
            fix: "Switch back to an unprivileged user after the steps that need root.",
            bad_example: "FROM debian:12\nUSER root\nRUN apt-get update",
            good_example: "FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001",
        },
        related: &["DL3002", "DS-0002", "CKV_DOCKER_8"],
        partial: &[],
        compliance: &["CIS-Docker-4.1"],
        references: &["https://docs.docker.com/build/building/best-practices/#user"],
    },
    check,
    fires: &["FROM scratch\nUSER root", "FROM scratch\nUSER 0:0", "FROM debian as base\nUSER root\nRUN x\nFROM scratch\nUSER foo"],
    passes: &["FROM scratch\nUSER foo", "FROM scratch\nUSER root\nRUN x\nUSER foo", "FROM a as b\nUSER root\nUSER app\nFROM scratch\nRUN x"],
};

pub fn is_root(ins: &Instruction) -> bool {
    let v = ins.words().into_iter().next().unwrap_or_default();
    let user = v.split(':').next().unwrap_or("");
    user == "root" || user == "0"
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    let mut last: Vec<(Option<usize>, &Instruction)> = Vec::new();
    for ins in ctx.all("USER").filter(|i| !i.onbuild) {
        match last.iter_mut().find(|(s, _)| *s == ins.stage) {
            Some(slot) => slot.1 = ins,
            None => last.push((ins.stage, ins)),
        }
    }
    last.into_iter()
        .filter(|(_, i)| is_root(i))
        .map(|(_, i)| {
            Hit::at(
                i,
                "the last USER of this stage is root; the container will run as root",
            )
        })
        .collect()
}
