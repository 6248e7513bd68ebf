use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF039",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "zypper install without -n",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without non-interactive mode zypper waits for confirmation a build cannot give.",
            fix: "Use `zypper --non-interactive install -y` (or `-n`).",
            bad_example: "RUN zypper install httpd=2.4.58",
            good_example: "RUN zypper install -y httpd=2.4.58",
        },
        related: &["DL3034"],
        partial: &[],
        compliance: &[],
        references: &["https://en.opensuse.org/SDB:Zypper_manual"],
    },
    check,
    fires: &["RUN zypper install httpd=2.4.24 && zypper clean"],
    passes: &[
        "RUN zypper install -y httpd=2.4.24",
        "RUN zypper --non-interactive install httpd=2.4.24",
        "RUN zypper -n in x=1",
    ],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "zypper install without -n/-y", |_, s| {
        s.named(&["zypper"]).any(|c| {
            matches!(
                c.subcommand(&[]),
                Some("install" | "in" | "remove" | "rm" | "source-install" | "si" | "patch")
            ) && !c.has_opt(&['y', 'n'], &["no-confirm", "non-interactive"])
        })
    })
}
