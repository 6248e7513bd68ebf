use super::*;
use crate::netpol;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S062",
        family: FAMILY,
        title: "Workload not selected by any NetworkPolicy",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "Pods that no NetworkPolicy selects accept traffic from everywhere and may connect anywhere: they are outside the namespace's network segmentation.",
            fix: "Add or widen a NetworkPolicy whose podSelector matches the workload's pod labels (a default-deny policy selects all pods).",
            bad_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: web:1.0}\n",
            good_example: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - {name: web, image: web:1.0}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "C-0260",
                "Kubescape's missing-network-policy control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.3.2", "NSA-NET-POLICY"],
        references: &[NETPOL_DOC],
    },
    pss: None,
    check: Check::Global(check),
};

fn check(_: &Ctx, objects: &[Obj]) -> Vec<(usize, Hit)> {
    let by_ns = netpol::policies_by_namespace(objects);
    let mut hits = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        let Some(pod) = o.pod() else { continue };
        let labels = pod.labels();
        let selected = by_ns
            .get(o.ns())
            .is_some_and(|ps| ps.iter().any(|p| netpol::selects(p, o.ns(), &labels)));
        if !selected {
            let at = pod.meta.and_then(|m| m.get("labels"));
            hits.push((
                i,
                Hit::new(
                    format!("{}.labels", pod.meta_path),
                    at,
                    &o.root,
                    format!(
                        "No NetworkPolicy in namespace {} selects the pods of {}",
                        o.ns(),
                        o.display()
                    ),
                ),
            ));
        }
    }
    hits
}
