use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S029",
        family: FAMILY,
        title: "Liveness probe not configured",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Without a liveness probe Kubernetes cannot tell whether the container works: hung processes keep receiving traffic or are never restarted, which hides failures and attacks alike.",
            fix: "Add a `livenessProbe` (httpGet, tcpSocket, grpc or exec) to every long-running container.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: app:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n",
        },
        related: &["CKV_K8S_8"],
        partial: &[
            Partial::new(
                "C-0056",
                "Kubescape's liveness-probe control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-APP-PRACTICES"],
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, o: &Obj, pod: &PodSpec) -> Vec<Hit> {
    // Run-to-completion workloads are not probed for health.
    if matches!(o.kind.as_str(), "Job" | "CronJob") {
        return Vec::new();
    }
    pod.app_containers()
        .iter()
        .filter(|c| c.node.get("livenessProbe").is_none())
        .map(|c| {
            Hit::new(
                c.field("livenessProbe"),
                None,
                c.node,
                format!("Container '{}' has no livenessProbe", c.name),
            )
        })
        .collect()
}
