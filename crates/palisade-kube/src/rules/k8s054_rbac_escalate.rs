use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S054",
        family: FAMILY,
        title: "RBAC rule allows escalate, bind or impersonate",
        severity: Severity::Critical,
        docs: RuleDocs {
            why: "escalate and bind let a subject grant itself permissions it does not have; impersonate lets it act as any user, group or service account. Each is a direct path to cluster-admin.",
            fix: "Remove the escalate, bind and impersonate verbs; reserve them for the cluster's own controllers.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [escalate, bind]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0043",
                "Trivy fires only on impersonating privileged groups; this rule on any escalate, bind or impersonate verb.",
            ),
            Partial::new(
                "C-0035",
                "Kubescape's administrative-roles control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.8", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::role_rule_hits(objects, |r| {
        let found: Vec<&str> = ["escalate", "bind", "impersonate"]
            .into_iter()
            .filter(|v| r.verbs.contains(v))
            .collect();
        (!found.is_empty()).then(|| format!("allows {}", found.join("/")))
    })
}
