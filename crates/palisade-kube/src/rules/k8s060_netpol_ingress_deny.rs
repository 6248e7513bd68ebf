use super::*;
use crate::netpol;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S060",
        family: FAMILY,
        title: "Namespace without default-deny ingress policy",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Without a policy that selects every pod and allows no ingress, any pod in the cluster can connect to every pod of the namespace; one compromised pod can reach them all.",
            fix: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` and no ingress rules, then allow the needed flows explicitly.",
            bad_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: web:1.0}\n",
            good_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: web:1.0}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "C-0260",
                "Kubescape flags workloads without any NetworkPolicy; this rule namespaces without a default-deny ingress policy. Kubescape is not among the peers run here, so this is not measured.",
            ),
            Partial::new(
                "C-0054",
                "Kubescape's cluster-internal-networking control flags namespaces without network policies of any kind. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.3.2", "NSA-NET-POLICY"],
        references: &[NETPOL_DOC],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    netpol::namespaces_without_default_deny(objects, false)
}
