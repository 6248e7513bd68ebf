use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S057",
        family: FAMILY,
        title: "Binding to anonymous or unauthenticated users",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "system:anonymous and system:unauthenticated are everyone who can reach the API server without credentials; any permission bound to them is public.",
            fix: "Remove the subject from the binding; grant the permission to authenticated identities only.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n- {kind: User, name: \"system:anonymous\", apiGroup: rbac.authorization.k8s.io}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n- {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "C-0262",
                "Kubescape's anonymous-binding control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.1", "NSA-AUTHN"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::binding_subject_hits(objects, |_, _, s| {
        let name = s.get("name").and_then(Node::as_str)?;
        matches!(name, "system:anonymous" | "system:unauthenticated")
            .then(|| format!("Binding grants permissions to {name}"))
    })
}
