use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF034",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt used instead of apt-get",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "`apt` is an interactive front end whose behaviour and output may change between releases; scripts should use the stable `apt-get`/`apt-cache`.",
            fix: "Use apt-get or apt-cache.",
            bad_example: "RUN apt install -y curl",
            good_example: "RUN apt-get install -y curl",
        },
        related: &["DL3027"],
        partial: &[
            Partial::new(
                "CKV_DOCKER_9",
                "Checkov flags `apt install` only; this rule any apt command in RUN (`apt clean` too), as hadolint's DL3027 does.",
            ),
        ],
        compliance: &[],
        references: &["https://manpages.debian.org/apt"],
    },
    check,
    fires: &["RUN apt install python", "RUN apt update && apt-get install -y x"],
    passes: &["RUN apt-get install -y python", "RUN apt-cache policy x"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "use apt-get instead of apt", |_, s| {
        s.named(&["apt"]).next().is_some()
    })
}
