use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S022",
        family: FAMILY,
        title: "CPU request not set",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a CPU request the scheduler and kubelet cannot protect the node and its other pods from this container's consumption (resource exhaustion, noisy neighbours, denial of service).",
            fix: "Set `resources.requests.cpu` on every container (a LimitRange can supply defaults per namespace).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    resources:\n      requests: {cpu: 250m}\n",
        },
        related: &["KSV-0015", "kubesec:RequestsCPU"],
        partial: &[
            Partial::new(
                "CKV_K8S_10",
                "Checkov gives no verdict when a container's resources is empty or has no requests map (limits only); this rule and Trivy's KSV-0015 fire there.",
            ),
            Partial::new(
                "C-0050",
                "Kubescape's control covers CPU requests and limits together; this rule is the request only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-NET-RESOURCES"],
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    missing_resource(pod, "requests", "cpu", "a CPU request")
}
