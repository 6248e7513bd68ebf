use super::*;
use crate::rbac;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S055",
        family: FAMILY,
        title: "RBAC rule allows nodes/proxy",
        severity: Severity::High,
        docs: RuleDocs {
            why: "nodes/proxy reaches the kubelet API directly: it can run commands in any pod on the node and bypasses audit logging and admission control.",
            fix: "Remove nodes/proxy; monitoring agents can read metrics through nodes/metrics instead.",
            bad_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: mon}\nrules:\n- {apiGroups: [\"\"], resources: [nodes/proxy], verbs: [get]}\n",
            good_example: "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: mon}\nrules:\n- {apiGroups: [\"\"], resources: [nodes/metrics], verbs: [get]}\n",
        },
        related: &["KSV-0047"],
        partial: &[],
        compliance: &["NSA-AUTHZ-RBAC"],
        references: &[RBAC_DOC, "https://kubernetes.io/docs/reference/access-authn-authz/rbac/"],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    rbac::role_rule_hits(objects, |r| {
        (r.resources.contains(&"nodes/proxy") && r.has_verb(&["get", "create", "update", "patch"]))
            .then(|| "allows nodes/proxy".to_string())
    })
}
