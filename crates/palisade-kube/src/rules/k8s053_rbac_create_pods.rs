use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S053",
        family: FAMILY,
        title: "RBAC rule can create pods or workloads",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Whoever can create pods (directly or through Deployments, Jobs, DaemonSets, ...) can run them with any service account of the namespace and mount its secrets: privilege escalation within the namespace.",
            fix: "Limit pod and workload creation to deployment pipelines; grant humans read-only access.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [apps], resources: [deployments], verbs: [create, update]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: app, namespace: shop}\nrules:\n- {apiGroups: [apps], resources: [deployments], verbs: [get, list]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: app, namespace: shop}\nsubjects:\n- {kind: ServiceAccount, name: app, namespace: shop}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0048",
                "Trivy does not count a wildcard resource or verb as granting workload creation; this rule does.",
            ),
            Partial::new(
                "C-0188",
                "Kubescape's CIS control on creating pods. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.4", "NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    const WORKLOADS: &[&str] = &[
        "pods",
        "deployments",
        "daemonsets",
        "statefulsets",
        "replicasets",
        "jobs",
        "cronjobs",
        "replicationcontrollers",
    ];
    rbac::role_rule_hits(objects, |r| {
        (r.has_resource(WORKLOADS) && r.has_verb(&["create", "update", "patch"]))
            .then(|| "can create or change pods/workloads".to_string())
    })
}
