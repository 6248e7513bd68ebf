use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S042",
        family: FAMILY,
        title: "Pod has no security context",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "A pod without `securityContext` runs with every runtime default: root user, no seccomp profile, no fsGroup. Setting one is the first step of hardening.",
            fix: "Add `spec.securityContext` with at least runAsNonRoot, runAsUser and seccompProfile.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext:\n    runAsNonRoot: true\n    seccompProfile: {type: RuntimeDefault}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["CKV_K8S_29"],
        partial: &[
            Partial::new(
                "C-0211",
                "Kubescape's CIS control covers pod and container security contexts together. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.7.3", "NSA-POD-HARDEN"],
        references: &[SC_DOC],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    match pod.spec.get("securityContext") {
        Some(n) if n.is_map() && !n.is_empty_map() => Vec::new(),
        n => vec![Hit::new(
            pod.field("securityContext"),
            n,
            pod.spec,
            "Pod does not set a securityContext",
        )],
    }
}
