use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use crate::shell::Command;
use palisade_core::{RuleDocs, RuleMeta, Severity};

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
        related: &["CKV2_DOCKER_7", "CKV2_DOCKER_8", "CKV2_DOCKER_9", "CKV2_DOCKER_10", "CKV2_DOCKER_11"],
        partial: &[],
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
