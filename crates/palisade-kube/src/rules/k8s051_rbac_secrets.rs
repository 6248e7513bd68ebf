use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S051",
        family: FAMILY,
        title: "RBAC rule can read Secrets",
        severity: Severity::High,
        docs: RuleDocs {
            why: "get, list or watch on secrets reveals every credential in scope, including service account tokens of more privileged accounts.",
            fix: "Grant access to the specific Secret by resourceNames, or mount the Secret into the workload instead of reading it through the API.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [configmaps], verbs: [get, list]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0041",
                "Trivy fires on ClusterRoles only (Roles are its KSV-0113) and does not count a wildcard resource as Secrets; this rule fires on any Role or ClusterRole that can read Secrets, wildcards included.",
            ),
            Partial::new(
                "C-0015",
                "Kubescape's list-secrets control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.2", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::role_rule_hits(objects, |r| {
        (r.has_resource(&["secrets"]) && r.has_verb(&["get", "list", "watch"]))
            .then(|| "can read Secrets".to_string())
    })
}
