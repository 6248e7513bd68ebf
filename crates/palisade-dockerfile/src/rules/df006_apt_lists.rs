use super::util::{has_mount, in_final_image, with_sub, APT, APT_VALUE_OPTS};
use super::{Ctx, Hit, Rule};
use palisade_core::{Partial, RuleDocs, RuleMeta, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "DF006",
        family: palisade_core::RuleFamily::Dockerfile,
        title: "apt lists not removed in the same layer",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "`apt-get update` leaves package indexes in the layer: a bigger image and stale metadata that later layers may install from.",
            fix: "End the same `RUN` with `rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean` on apt 3), or use cache mounts for /var/lib/apt and /var/cache/apt.",
            bad_example: "RUN apt-get update && apt-get install -y curl",
            good_example: "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n && rm -rf /var/lib/apt/lists/*",
        },
        related: &[],
        partial: &[
            Partial::new(
                "DL3009",
                "hadolint does not know apt 3's `apt-get dist-clean`, which removes the package lists (the Debian trixie images use it); this rule accepts it.",
            ),
        ],
        compliance: &[],
        references: &["https://docs.docker.com/build/building/best-practices/#apt-get"],
    },
    check,
    fires: &["FROM debian:12\nRUN apt-get update && apt-get install -y curl", "FROM d AS a\nRUN apt update\nFROM a\nRUN x"],
    passes: &[
        "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*",
        "FROM d AS a\nRUN apt-get update\nFROM scratch\nRUN x",
        "RUN --mount=type=cache,target=/var/lib/apt/lists apt-get update",
        "FROM debian:13\nRUN apt-get update; apt-get install -y x; apt-get dist-clean",
    ],
};

fn check(ctx: &Ctx) -> Vec<Hit> {
    ctx.runs()
        .filter(|(_, ins, s)| {
            in_final_image(ctx, ins)
                && with_sub(s, APT, &["update"], APT_VALUE_OPTS)
                    .next()
                    .is_some()
                && !s
                    .named(&["rm"])
                    .any(|c| c.args().iter().any(|a| a.starts_with("/var/lib/apt/lists")))
                && with_sub(s, APT, &["dist-clean"], APT_VALUE_OPTS)
                    .next()
                    .is_none()
                && !has_mount(ins, "/var/lib/apt/lists")
                && !(has_mount(ins, "/var/lib/apt") && has_mount(ins, "/var/cache/apt"))
        })
        .map(|(_, ins, _)| {
            Hit::at(
                ins,
                "apt-get update without rm -rf /var/lib/apt/lists/* in the same RUN",
            )
        })
        .collect()
}
