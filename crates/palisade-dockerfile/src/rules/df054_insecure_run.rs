use super::{Ctx, Hit, Rule};
use palisade_core::{RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF054",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "RUN with --security=insecure",
        severity: Severity::High,
        docs: RuleDocs {
            why: "`RUN --security=insecure` runs the step as a privileged container: it can reach host devices and kernel interfaces, so a compromised dependency can escape the build.",
            fix: "Remove `--security=insecure`; do the privileged work outside the build, or in a dedicated, isolated builder.",
            bad_example: "RUN --security=insecure mount -t tmpfs none /mnt",
            good_example: "RUN --mount=type=tmpfs,target=/mnt make test",
        },
        related: &[],
        partial: &[],
        compliance: &[],
        references: &["https://docs.docker.com/reference/dockerfile/#run---security"],
    },
    check,
    fires: &["RUN --security=insecure make", "ONBUILD RUN --security=insecure x"],
    passes: &["RUN --security=sandbox make", "RUN --network=none make"],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.all("RUN")
        .filter(|i| {
            i.flag_value("security")
                .is_some_and(|v| v.eq_ignore_ascii_case("insecure"))
        })
        .map(|i| Hit::at(i, "this RUN step runs privileged (--security=insecure)"))
        .collect()
}
