use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S024",
        family: FAMILY,
        title: "memory request not set",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a memory request the scheduler and kubelet cannot protect the node and its other pods from this container's consumption (resource exhaustion, noisy neighbours, denial of service).",
            fix: "Set `resources.requests.memory` on every container (a LimitRange can supply defaults per namespace).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    resources:\n      requests: {memory: 256Mi}\n",
        },
        related: &["KSV-0016", "kubesec:RequestsMemory"],
        partial: &[
            Partial::new(
                "CKV_K8S_12",
                "Checkov gives no verdict when a container's resources is empty or has no requests map (limits only); this rule and Trivy's KSV-0016 fire there.",
            ),
            Partial::new(
                "C-0004",
                "Kubescape's control covers memory requests and limits together; this rule is the request only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-NET-RESOURCES"],
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    missing_resource(pod, "requests", "memory", "a memory request")
}
