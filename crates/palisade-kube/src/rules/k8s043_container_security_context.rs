use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S043",
        family: FAMILY,
        title: "Container has no security context",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "A container without `securityContext` keeps privilege escalation, all default capabilities and a writable root filesystem.",
            fix: "Add `securityContext` with allowPrivilegeEscalation: false, capabilities.drop: [ALL] and readOnlyRootFilesystem: true.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {allowPrivilegeEscalation: false}\n",
        },
        related: &["CKV_K8S_30"],
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
    pod.containers()
        .iter()
        .filter(|c| c.kind != crate::object::ContainerKind::Ephemeral)
        .filter(|c| {
            !c.node
                .get("securityContext")
                .is_some_and(|n| n.is_map() && !n.is_empty_map())
        })
        .map(|c| {
            Hit::new(
                c.field("securityContext"),
                c.node.get("securityContext"),
                c.node,
                format!("Container '{}' does not set a securityContext", c.name),
            )
        })
        .collect()
}
