use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF053",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Password set with chpasswd",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A password set at build time is the same in every container and readable from the build history; passwordless or known root passwords are a classic way in.",
            fix: "Do not set passwords in images; use key-based access at run time or none at all.",
            bad_example: "RUN echo 'root:root' | chpasswd",
            good_example: "RUN useradd --create-home --shell /usr/sbin/nologin app",
        },
        related: &["CKV2_DOCKER_17"],
        partial: &[],
        compliance: &[],
        references: &["https://cwe.mitre.org/data/definitions/798.html"],
    },
    check,
    fires: &["RUN echo 'root:root' | chpasswd", "RUN chpasswd < input.txt"],
    passes: &["RUN chgrp root /etc/passwd"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "chpasswd sets a password at build time", |_, s| {
        s.named(&["chpasswd"]).next().is_some()
    })
}
