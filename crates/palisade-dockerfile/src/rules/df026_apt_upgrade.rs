use super::util::{runs_where, with_sub, APT, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF026",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt-get upgrade or dist-upgrade in a build",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Upgrading everything makes the result depend on the day of the build and can break the base image in ways its maintainers never tested; update the base image instead.",
            fix: "Rebuild on a newer base image tag, and install only the specific packages you need.",
            bad_example: "RUN apt-get update && apt-get dist-upgrade -y",
            good_example: "FROM debian:12.5",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3005",
                "hadolint 2.x no longer ships DL3005, so it never fires.",
            ),
            Partial::new(
                "DS-0024",
                "Trivy reads `apt-get upgrade` only; this rule also `apt upgrade` and `apt full-upgrade`.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    check,
    fires: &["RUN apt-get update && apt-get upgrade -y", "RUN apt-get dist-upgrade"],
    passes: &["RUN apt-get install -y --only-upgrade openssl=3.0.13-1", "RUN apt-get update"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(
        ctx,
        "apt-get upgrade in a build makes it depend on the day it runs",
        |_, s| {
            with_sub(
                s,
                APT,
                &["upgrade", "dist-upgrade", "full-upgrade"],
                APT_VALUE_OPTS,
            )
            .next()
            .is_some()
        },
    )
}
