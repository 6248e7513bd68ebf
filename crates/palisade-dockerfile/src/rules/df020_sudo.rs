use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF020",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "RUN uses sudo",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "sudo in an image means a sudo binary and sudoers rules ship with it, and its TTY/PAM behaviour is unpredictable in builds.",
            fix: "Run the step as root with `USER root` and switch back, or use gosu/su-exec for privilege changes at run time.",
            bad_example: "RUN sudo apt-get update",
            good_example: "USER root\nRUN apt-get update\nUSER app",
        },
        related: &["DL3004", "DS-0010"],
        partial: &[
            Partial::new(
                "CKV2_DOCKER_1",
                "Checkov fires on the word sudo anywhere in RUN (installing the sudo package, writing /etc/sudoers.d); this rule only when sudo runs a command.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#user"],
    },
    check,
    fires: &["RUN sudo apt-get update", "RUN apt-get update && sudo apt-get install x"],
    passes: &["RUN apt-get install sudo", "RUN apt-get install sudoku"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "RUN uses sudo", |_, s| {
        s.named(&["sudo"]).next().is_some()
    })
}
