use super::util::{runs_where, with_sub, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use crate::shell::Command;
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF033",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt-get install without -y",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without `-y` apt-get waits for a confirmation that never comes in a build, or aborts; builds become flaky.",
            fix: "Pass `-y` (or `--yes`, `-qq`).",
            bad_example: "RUN apt-get install curl",
            good_example: "RUN apt-get install -y curl",
        },
        related: &["DL3014"],
        partial: &[
            Partial::new(
                "DS-0021",
                "Trivy also reads `sudo apt-get install`, which this rule does not; this rule also flags a simulated install (`apt-get install -s`), which Trivy skips.",
            ),
        ],
        compliance: &[],
        references: &["https://manpages.debian.org/apt-get"],
    },
    check,
    fires: &["RUN apt-get install python", "RUN apt-get install -q python"],
    passes: &["RUN apt-get install -yq python", "RUN apt-get --assume-yes install python", "RUN apt-get install -qq python", "RUN apt-get install -q=2 python", "RUN apt-get install -q -q python"],
};

fn assumes_yes(c: &Command) -> bool {
    if c.has_opt(&['y'], &["yes", "assume-yes"])
        || c.args()
            .iter()
            .any(|a| a == "-q=2" || a == "--quiet=2" || a == "-qq")
    {
        return true;
    }
    let quiet: usize = c
        .args()
        .iter()
        .map(|a| {
            if a == "--quiet" {
                1
            } else if a.starts_with('-') && !a.starts_with("--") {
                a.matches('q').count()
            } else {
                0
            }
        })
        .sum();
    quiet >= 2
}

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "apt-get install without -y", |_, s| {
        with_sub(s, &["apt-get"], &["install"], APT_VALUE_OPTS).any(|c| !assumes_yes(c))
    })
}
