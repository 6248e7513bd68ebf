use super::util::{with_sub, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF009",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt-get install without --no-install-recommends",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Recommended packages are installed by default: more code, more CVEs and a larger attack surface that nobody asked for.",
            fix: "Add `--no-install-recommends` (or `-o APT::Install-Recommends=false`).",
            bad_example: "RUN apt-get install -y curl",
            good_example: "RUN apt-get install -y --no-install-recommends curl",
        },
        related: &["DL3015"],
        partial: &[
            Partial::new(
                "DS-0029",
                "Trivy also reads `sudo apt-get install`, which this rule does not; this rule also flags a simulated install (`apt-get install -s`), which Trivy skips.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    check,
    fires: &["RUN apt-get install python", "RUN apt-get -y install python"],
    passes: &["RUN apt-get install --no-install-recommends python", "RUN apt-get -o APT::Install-Recommends=false install python"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, _, s)| {
            with_sub(s, &["apt-get"], &["install"], APT_VALUE_OPTS).any(|c| {
                !c.has_opt(&[], &["no-install-recommends"])
                    && !c.args().iter().any(|a| {
                        a.contains("Install-Recommends=false") || a.contains("Install-Recommends=0")
                    })
            })
        })
        .map(|(_, ins, _)| Hit::at(ins, "apt-get install without --no-install-recommends"))
        .collect()
}
