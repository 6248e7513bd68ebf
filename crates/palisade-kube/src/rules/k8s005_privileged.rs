use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S005",
        family: FAMILY,
        title: "Privileged container",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A privileged container has every capability and access to all host devices; it can take over the node. The Baseline policy forbids it.",
            fix: "Remove `securityContext.privileged: true`; grant only the specific capabilities the process needs.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {privileged: true}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {privileged: false}\n",
        },
        related: &["KSV-0017", "CKV_K8S_16", "kubesec:Privileged"],
        partial: &[
            Partial::new(
                "C-0057",
                "Kubescape's privileged-container control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.2", "NSA-POD-PRIV"],
        references: &[PSS_DOC, SC_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Privileged Containers", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    container_sc_hits(
        pod,
        "privileged",
        |n| n.as_bool() == Some(true),
        |c| {
            format!(
                "Container '{}' is privileged (securityContext.privileged: true)",
                c.name
            )
        },
    )
}
