use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S025",
        family: FAMILY,
        title: "memory limit not set",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a memory limit the scheduler and kubelet cannot protect the node and its other pods from this container's consumption (resource exhaustion, noisy neighbours, denial of service).",
            fix: "Set `resources.limits.memory` on every container (a LimitRange can supply defaults per namespace).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    resources:\n      limits: {memory: 256Mi}\n",
        },
        related: &["KSV-0018", "CKV_K8S_13", "kubesec:LimitsMemory"],
        partial: &[
            Partial::new(
                "C-0004",
                "Kubescape's control covers memory requests and limits together; this rule is the limit only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-NET-RESOURCES"],
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    missing_resource(pod, "limits", "memory", "a memory limit")
}
