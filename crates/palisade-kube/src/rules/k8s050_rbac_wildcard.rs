use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S050",
        family: FAMILY,
        title: "Wildcard in RBAC rule",
        severity: Severity::High,
        docs: RuleDocs {
            why: "A `*` in apiGroups, resources or verbs grants every present and future resource or verb, including ones added by CRDs later; it is how least privilege quietly erodes.",
            fix: "List the exact apiGroups, resources and verbs the subject needs.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [\"*\"], verbs: [\"*\"]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0044",
                "Trivy fires only on a wildcard verb together with a wildcard resource; this rule on a wildcard in apiGroups, resources or verbs.",
            ),
            Partial::new(
                "KSV-0045",
                "Trivy fires only on a wildcard verb on named resources; this rule on a wildcard in apiGroups, resources or verbs.",
            ),
            Partial::new(
                "KSV-0046",
                "Trivy fires only on roles that manage all resources; this rule on a wildcard in apiGroups, resources or verbs.",
            ),
            Partial::new(
                "CKV_K8S_49",
                "Checkov reads the first rule of a role only; this rule reads every rule.",
            ),
            Partial::new(
                "C-0187",
                "Kubescape's CIS wildcard control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.3", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::role_rule_hits(objects, |r| {
        let wild = |v: &[&str]| v.contains(&"*");
        (wild(&r.api_groups) || wild(&r.resources) || wild(&r.verbs))
            .then(|| "uses a wildcard".to_string())
    })
}
