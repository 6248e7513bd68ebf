use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S052",
        family: FAMILY,
        title: "RBAC rule allows exec or attach into pods",
        severity: Severity::High,
        docs: RuleDocs {
            why: "pods/exec and pods/attach give a shell in any pod in scope, with that pod's service account, mounted secrets and network position.",
            fix: "Remove pods/exec and pods/attach; use ephemeral debug containers through a break-glass role if needed.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [pods/exec], verbs: [create]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [pods/log], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0053",
                "Trivy does not count wildcard resources or verbs as pods/exec; this rule does.",
            ),
            Partial::new(
                "KSV-0054",
                "Trivy does not count wildcard resources or verbs as pods/attach; this rule does.",
            ),
            Partial::new(
                "C-0002",
                "Kubescape's exec-into-container control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.4", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::role_rule_hits(objects, |r| {
        (r.has_resource(&["pods/exec", "pods/attach"]) && r.has_verb(&["create", "get"]))
            .then(|| "allows exec/attach into pods".to_string())
    })
}
