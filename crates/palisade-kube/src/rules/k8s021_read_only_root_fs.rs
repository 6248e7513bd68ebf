use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S021",
        family: FAMILY,
        title: "Root filesystem is writable",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "A writable root filesystem lets an attacker drop tools and persist changes inside the container; an immutable one confines writes to declared volumes.",
            fix: "Set `securityContext.readOnlyRootFilesystem: true` and mount emptyDir volumes where the app must write.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    securityContext: {readOnlyRootFilesystem: true}\n",
        },
        related: &["KSV-0014", "CKV_K8S_22", "kubesec:ReadOnlyRootFilesystem"],
        partial: &[
            Partial::new(
                "C-0017",
                "Kubescape's immutable-filesystem control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-POD-IMMUTABLE"],
        references: &[SC_DOC],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter(|c| c.kind != crate::object::ContainerKind::Ephemeral)
        .filter_map(|c| {
            let n = c.sc("readOnlyRootFilesystem");
            (n.and_then(Node::as_bool) != Some(true)).then(|| {
                Hit::new(
                    c.field("securityContext.readOnlyRootFilesystem"),
                    n.or(c.node.get("securityContext")),
                    c.node,
                    format!("Container '{}' has a writable root filesystem", c.name),
                )
            })
        })
        .collect()
}
