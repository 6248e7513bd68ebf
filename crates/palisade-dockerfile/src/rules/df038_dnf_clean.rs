use super::util::{has_mount, install_without_clean, rm_under, runs_where};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF038",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "dnf install without dnf clean all",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "dnf leaves metadata and packages in its cache: a bigger image with stale metadata.",
            fix: "End the same RUN with `dnf clean all` (`microdnf clean all`), or use a cache mount.",
            bad_example: "RUN dnf install -y mariadb-10.4",
            good_example: "RUN dnf install -y mariadb-10.4 && dnf clean all",
        },
        related: &["DL3040"],
        partial: &[
            Partial::new(
                "DS-0019",
                "Trivy's DS-0019 is dnf only and also reads tdnf; this rule covers dnf and microdnf (Trivy's DS-0027).",
            ),
            Partial::new(
                "DS-0027",
                "Trivy's DS-0027 is microdnf only (dnf is its DS-0019); this rule covers dnf and microdnf.",
            ),
        ],
        compliance: &[],
        references: &["https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command"],
    },
    check,
    fires: &["RUN dnf install -y mariadb-10.4", "RUN rm -rf /var/cache/libdnf5 && microdnf install -y x-1", "RUN dnf -y up"],
    passes: &["RUN dnf in -y mariadb-10.4 && dnf clean all", "RUN dnf install -y x-1 && rm -rf /var/cache/yum/*", "RUN --mount=type=cache,target=/var/cache/libdnf5 dnf install -y x-1"],
};

const SUBS: &[&str] = &[
    "install",
    "in",
    "upgrade",
    "up",
    "upgrade-minimal",
    "up-min",
    "reinstall",
    "rei",
    "update",
    "groupinstall",
];

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "dnf install without dnf clean all in the same RUN",
        |ins, s| {
            !has_mount(ins, "/var/cache/libdnf5")
                && !has_mount(ins, "/var/cache/dnf")
                && install_without_clean(s, &["dnf", "microdnf"], SUBS, |inst, c| {
                    (c.name() == inst.name() && c.has_word("clean"))
                        || rm_under(
                            c,
                            &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"],
                        )
                })
        },
    )
}
