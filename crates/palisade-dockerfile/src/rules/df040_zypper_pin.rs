use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF040",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "zypper install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Unpinned packages make builds irreproducible.",
            fix: "Pin versions (`name=1.2.3` or `name>=1.2`).",
            bad_example: "RUN zypper install -y tomcat",
            good_example: "RUN zypper install -y tomcat=9.0.39",
        },
        related: &["DL3037"],
        partial: &[],
        compliance: &[],
        references: &["https://en.opensuse.org/SDB:Zypper_manual"],
    },
    check,
    fires: &["RUN zypper install -y tomcat && zypper clean"],
    passes: &[
        "RUN zypper install -y tomcat=9.0.39",
        "RUN zypper install -y tomcat\\>=9.0",
        "RUN zypper install -y x-9.0.39-1.rpm",
    ],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "zypper install of packages without a pinned version",
        |_, s| {
            s.named(&["zypper"]).any(|c| {
                let pos = crate::shell::positional(c.args(), &[]);
                matches!(pos.first().map(|s| s.as_str()), Some("install" | "in"))
                    && pos[1..]
                        .iter()
                        .any(|p| !p.contains(['=', '<', '>', '$']) && !p.ends_with(".rpm"))
            })
        },
    )
}
