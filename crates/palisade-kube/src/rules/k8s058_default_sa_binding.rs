use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S058",
        family: FAMILY,
        title: "Binding to a default ServiceAccount",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Permissions bound to a namespace's default ServiceAccount reach every pod there that names no account.",
            fix: "Create a dedicated ServiceAccount for the workload that needs the permission and bind that instead.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: default, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: reader, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\n",
        },
        related: &["CKV_K8S_42"],
        partial: &[
            Partial::new(
                "C-0189",
                "Kubescape's CIS control covers the default ServiceAccount as a whole: used by pods, automounting, bound to roles. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.5", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::binding_subject_hits(objects, |_, _, s| {
        (s.get("kind").and_then(Node::as_str) == Some("ServiceAccount")
            && s.get("name").and_then(Node::as_str) == Some("default"))
        .then(|| "Binding grants permissions to a default ServiceAccount".to_string())
    })
}
