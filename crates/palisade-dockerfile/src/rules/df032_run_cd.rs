use super::util::runs_where;
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF032",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "RUN cd instead of WORKDIR",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "`cd` inside RUN lasts for one layer only; later steps run elsewhere than they appear to, which is how files end up in the wrong place.",
            fix: "Use WORKDIR to change directory.",
            bad_example: "RUN cd /opt && make",
            good_example: "WORKDIR /opt\nRUN make",
        },
        related: &["DL3003"],
        partial: &[
            Partial::new(
                "DS-0013",
                "Trivy flags `cd` only at the start of an `&&`-separated part of the raw RUN text; this rule follows hadolint's DL3003 and flags any `cd` command (after `;`, in subshells, in heredocs).",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#workdir"],
    },
    check,
    fires: &["RUN cd /opt"],
    passes: &["WORKDIR /opt", "RUN make -C /opt"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    runs_where(ctx, "use WORKDIR instead of cd", |_, s| {
        s.named(&["cd"]).next().is_some()
    })
}
