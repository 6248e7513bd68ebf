use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use crate::shell::Command;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF047",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "Package index update in its own RUN",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "The layer cache keeps an `update` layer forever: later installs use a stale index and install old, vulnerable versions.",
            fix: "Update and install in the same RUN: `apt-get update && apt-get install -y ...`.",
            bad_example: "RUN apt-get update\nRUN apt-get install -y curl",
            good_example: "RUN apt-get update && apt-get install -y curl",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DS-0017",
                "Trivy fires only on a RUN that is nothing but an index update and counts `sudo apt-get install` as an install; this rule fires on a RUN that updates the index and installs nothing (`apt update && echo ...`).",
            ),
            Partial::new(
                "CKV_DOCKER_5",
                "Checkov fires only on a RUN that is nothing but an index update; this rule also on one that updates and installs nothing (`apt-get update && echo ...`).",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    check,
    fires: &["RUN apt-get update", "RUN apk update"],
    passes: &["RUN apt-get update && apt-get install -y x", "RUN apk update && apk add x", "RUN apk update --no-cache && apk upgrade --no-cache", "RUN update-locale LANG=C"],
};

const MANAGERS: &[&str] = &[
    "apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper",
];

fn sub(c: &Command) -> Option<&str> {
    if !MANAGERS.contains(&c.name()) {
        return None;
    }
    c.subcommand(&["-t", "-o", "-c", "-X", "--repository"])
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "package index update without an install in the same RUN",
        |_, s| {
            let update = s
                .commands
                .iter()
                .any(|c| matches!(sub(c), Some("update" | "makecache" | "refresh" | "ref")));
            let install = s.commands.iter().any(|c| {
                matches!(
                    sub(c),
                    Some(
                        "install"
                            | "in"
                            | "add"
                            | "upgrade"
                            | "dist-upgrade"
                            | "full-upgrade"
                            | "groupinstall"
                            | "localinstall"
                            | "up"
                            | "reinstall"
                            | "build-dep"
                            | "source"
                    )
                )
            });
            update && !install
        },
    )
}
