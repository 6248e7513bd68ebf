use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S031",
        family: FAMILY,
        title: "Service account token mounted",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Every pod gets an API token for its service account unless told otherwise; an attacker in the container can use it against the API server. Most workloads never call the API.",
            fix: "Set `automountServiceAccountToken: false` in the pod spec (or on the ServiceAccount) unless the workload talks to the Kubernetes API.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["CKV_K8S_38", "kubesec:AutomountServiceAccountToken"],
        partial: &[
            Partial::new(
                "KSV-0036",
                "Trivy fires only when the manifest itself mounts the service account token volume (a pod dumped from a cluster); this rule whenever automountServiceAccountToken is not false.",
            ),
            Partial::new(
                "C-0034",
                "Kubescape's automatic-service-account-mapping control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.6", "NSA-POD-SATOKEN"],
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let n = pod.spec.get("automountServiceAccountToken");
    if n.and_then(Node::as_bool) == Some(false) {
        return Vec::new();
    }
    vec![Hit::new(
        pod.field("automountServiceAccountToken"),
        n,
        pod.spec,
        "Pod mounts its service account token (automountServiceAccountToken is not false)",
    )]
}
