use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S011",
        family: FAMILY,
        title: "Unmasked /proc mount",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "`procMount: Unmasked` exposes kernel interfaces in /proc that the runtime normally masks; the Baseline policy requires the default mount.",
            fix: "Remove `securityContext.procMount` or set it to `Default`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {procMount: Unmasked}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {procMount: Default}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0027",
                "Trivy fires whenever procMount is set, Default included (seen on bench/kube/probes); this rule only on Unmasked, which is what the Baseline policy forbids.",
            ),
        ],
        compliance: &["PSS-baseline", "NSA-POD-HARDEN"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "/proc Mount Type", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    container_sc_hits(
        pod,
        "procMount",
        |n| !matches!(n.as_str(), None | Some("Default")),
        |c| format!("Container '{}' sets a non-default /proc mount type", c.name),
    )
}
