use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF036",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "yum or dnf install without -y",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without `-y` the package manager waits for a confirmation a build cannot give; builds fail or behave differently across versions.",
            fix: "Pass `-y` (`--assumeyes`).",
            bad_example: "RUN yum install httpd-2.4.57",
            good_example: "RUN yum install -y httpd-2.4.57",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3030",
                "hadolint's DL3030 is yum only (DL3038 is dnf, and neither reads microdnf); this rule covers yum, dnf and microdnf.",
            ),
            Partial::new(
                "DL3038",
                "hadolint's DL3038 is dnf only (DL3030 is yum, and neither reads microdnf); this rule covers yum, dnf and microdnf.",
            ),
        ],
        compliance: &[],
        references: &["https://man7.org/linux/man-pages/man8/yum.8.html"],
    },
    check,
    fires: &["RUN yum install httpd-2.4.24 && yum clean all", "RUN microdnf install httpd-2.4.24"],
    passes: &["RUN yum install -y httpd-2.4.24 && yum clean all", "RUN dnf --assumeyes install x-1"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "yum/dnf install without -y", |_, s| {
        s.named(&["yum", "dnf", "microdnf"]).any(|c| {
            let sub = c.subcommand(&[]);
            let install = matches!(sub, Some("install" | "groupinstall" | "localinstall"))
                || (sub == Some("module") && c.has_word("install"));
            install && !c.has_opt(&['y'], &["assumeyes"])
        })
    })
}
