use super::util::{has_mount, install_without_clean, rm_under, runs_where};
use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF035",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "yum install without yum clean all",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "yum leaves repository metadata and packages in /var/cache/yum: a bigger image with stale metadata.",
            fix: "End the same RUN with `yum clean all` (or `rm -rf /var/cache/yum`).",
            bad_example: "RUN yum install -y httpd-2.4.57",
            good_example: "RUN yum install -y httpd-2.4.57 && yum clean all",
        },
        related: &["DL3032", "DS-0015"],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/"],
    },
    check,
    fires: &["RUN yum install -y mariadb-10.4", "RUN yum clean all && yum install -y x"],
    passes: &["RUN yum install -y mariadb-10.4 && yum clean all", "RUN yum install -y x && rm -rf /var/cache/yum/*"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "yum install without yum clean all in the same RUN",
        |ins, s| {
            !has_mount(ins, "/var/cache/yum")
                && install_without_clean(
                    s,
                    &["yum"],
                    &[
                        "install",
                        "groupinstall",
                        "localinstall",
                        "update",
                        "upgrade",
                    ],
                    |_, c| {
                        (c.name() == "yum" && c.has_word("clean"))
                            || rm_under(c, &["/var/cache/yum"])
                    },
                )
        },
    )
}
