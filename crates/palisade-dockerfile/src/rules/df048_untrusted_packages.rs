use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use crate::shell::Command;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF048",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Package signature checks disabled",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Package signatures are what stops a mirror or network attacker from serving modified packages; turning them off installs whatever arrives.",
            fix: "Remove `--allow-untrusted`, `--allow-unauthenticated`, `--force-yes`, `--nogpgcheck` and rpm's `--nosignature`/`--nodigest`; import the right key instead.",
            bad_example: "RUN apt-get install -y --allow-unauthenticated mypkg",
            good_example: "RUN curl -fsSLo /usr/share/keyrings/vendor.gpg https://vendor.example/key.gpg \\\n && apt-get update && apt-get install -y mypkg",
        },
        related: &[],
        partial: &[
            Partial::new(
                "CKV2_DOCKER_7",
                "Checkov's check covers one way of turning signature checks off, `apk --allow-untrusted` (in any apk command, nginx's `apk index` included, where this rule reads installs only); this rule covers apk, apt-get, yum/dnf and rpm (Checkov's CKV2_DOCKER_7 to 11).",
            ),
            Partial::new(
                "CKV2_DOCKER_8",
                "Checkov's check covers one way of turning signature checks off, `apt-get --allow-unauthenticated`; this rule covers apk, apt-get, yum/dnf and rpm (Checkov's CKV2_DOCKER_7 to 11).",
            ),
            Partial::new(
                "CKV2_DOCKER_9",
                "Checkov's check covers one way of turning signature checks off, `yum/dnf --nogpgcheck`; this rule covers apk, apt-get, yum/dnf and rpm (Checkov's CKV2_DOCKER_7 to 11).",
            ),
            Partial::new(
                "CKV2_DOCKER_10",
                "Checkov's check covers one way of turning signature checks off, `rpm --nosignature`; this rule covers apk, apt-get, yum/dnf and rpm (Checkov's CKV2_DOCKER_7 to 11).",
            ),
            Partial::new(
                "CKV2_DOCKER_11",
                "Checkov's check covers one way of turning signature checks off, `apt-get --force-yes`; this rule covers apk, apt-get, yum/dnf and rpm (Checkov's CKV2_DOCKER_7 to 11).",
            ),
        ],
        compliance: &[],
        references: &["https://wiki.debian.org/SecureApt"],
    },
    check,
    fires: &["RUN apk --allow-untrusted add python3", "RUN apt-get install python3 --force-yes", "RUN tdnf install -y x --nogpgcheck", "RUN rpm -i --nosignature x.rpm"],
    passes: &["RUN apk add a | grep \"--allow-untrusted\"", "RUN apt-get update && echo \"--force-yes\"", "RUN rpm -i x.rpm"],
};

fn unsafe_cmd(c: &Command) -> bool {
    match c.name() {
        "apk" => c.has_opt(&[], &["allow-untrusted"]),
        "apt-get" | "apt" | "aptitude" => {
            c.has_opt(
                &[],
                &[
                    "allow-unauthenticated",
                    "force-yes",
                    "allow-insecure-repositories",
                    "allow-downgrades",
                ],
            ) || c.args().iter().any(|a| {
                a.contains("AllowUnauthenticated=true")
                    || a.contains("AllowInsecureRepositories=true")
            })
        }
        "yum" | "dnf" | "tdnf" | "microdnf" => c.has_opt(&[], &["nogpgcheck"]),
        "rpm" => c.has_opt(
            &[],
            &["nodigest", "nosignature", "noverify", "nofiledigest"],
        ),
        _ => false,
    }
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "package signature verification is disabled", |_, s| {
        s.commands.iter().any(unsafe_cmd)
    })
}
