use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S056",
        family: FAMILY,
        title: "Binding to cluster-admin",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "cluster-admin is every permission on every resource in every namespace; any subject bound to it owns the cluster.",
            fix: "Bind a role with only the permissions the subject needs; keep cluster-admin for break-glass accounts outside manifests.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n- {kind: ServiceAccount, name: ci, namespace: tools}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nsubjects:\n- {kind: ServiceAccount, name: ci, namespace: tools}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0111",
                "Trivy also fires on bindings to the admin and edit ClusterRoles; this rule only on cluster-admin.",
            ),
            Partial::new(
                "C-0185",
                "Kubescape's CIS cluster-admin control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.1", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::binding_subject_hits(objects, |b, _, _| {
        (rbac::role_ref(b) == ("ClusterRole", "cluster-admin"))
            .then(|| "Subject is bound to cluster-admin".to_string())
    })
}
