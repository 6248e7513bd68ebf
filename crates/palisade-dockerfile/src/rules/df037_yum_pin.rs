use super::util::{rpm_style_unpinned, runs_where};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF037",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "yum or dnf install without pinned versions",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Unpinned packages make builds irreproducible and pull in whatever the repository serves that day.",
            fix: "Pin versions (`name-1.2.3`) or module streams (`module install name:stream`).",
            bad_example: "RUN yum install -y tomcat",
            good_example: "RUN yum install -y tomcat-9.0.87",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3033",
                "hadolint's DL3033 is yum only (DL3041 is dnf, and neither reads microdnf); this rule covers yum, dnf and microdnf.",
            ),
            Partial::new(
                "DL3041",
                "hadolint's DL3041 is dnf only (DL3033 is yum, and neither reads microdnf); this rule covers yum, dnf and microdnf.",
            ),
        ],
        compliance: &[],
        references: &["https://man7.org/linux/man-pages/man8/yum.8.html"],
    },
    check,
    fires: &["RUN yum install -y tomcat && yum clean all", "RUN dnf module install -y tomcat", "RUN microdnf install -y rpm-sign"],
    passes: &["RUN yum install -y tomcat-9.2", "RUN dnf install -y openssl-1:1.1.1k", "RUN dnf module install -y tomcat:9", "RUN dnf -y group install \"Development Tools\""],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "yum/dnf install of packages without a pinned version",
        |_, s| rpm_style_unpinned(s, &["yum", "dnf", "microdnf"], &["install"]),
    )
}
