use super::util::{has_mount, install_without_clean, runs_where};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF041",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "zypper install without zypper clean",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "zypper keeps repository metadata and packages in /var/cache/zypp: a bigger image with stale metadata.",
            fix: "End the same RUN with `zypper clean` (or `zypper cc`).",
            bad_example: "RUN zypper install -y mariadb=10.4",
            good_example: "RUN zypper install -y mariadb=10.4 && zypper clean",
        },
        related: &["DL3036", "DS-0020"],
        partial: &[],
        compliance: &[],
        references: &["https://en.opensuse.org/SDB:Zypper_manual"],
    },
    check,
    fires: &["RUN zypper install -y mariadb=10.4", "RUN zypper clean && zypper install -y x=1"],
    passes: &["RUN zypper install -y x=1 && zypper cc", "RUN --mount=type=cache,target=/var/cache/zypp zypper install -y x"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "zypper install without zypper clean in the same RUN",
        |ins, s| {
            !has_mount(ins, "/var/cache/zypp")
                && install_without_clean(s, &["zypper"], &["install", "in"], |_, c| {
                    c.name() == "zypper" && (c.has_word("clean") || c.has_word("cc"))
                })
        },
    )
}
