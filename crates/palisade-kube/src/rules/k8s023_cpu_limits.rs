use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S023",
        family: FAMILY,
        title: "CPU limit not set",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a CPU limit the scheduler and kubelet cannot protect the node and its other pods from this container's consumption (resource exhaustion, noisy neighbours, denial of service).",
            fix: "Set `resources.limits.cpu` on every container (a LimitRange can supply defaults per namespace).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    resources:\n      limits: {cpu: 250m}\n",
        },
        related: &["KSV-0011", "CKV_K8S_11", "kubesec:LimitsCPU"],
        partial: &[
            Partial::new(
                "C-0050",
                "Kubescape's control covers CPU requests and limits together; this rule is the limit only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-NET-RESOURCES"],
        references: &["https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    missing_resource(pod, "limits", "cpu", "a CPU limit")
}
