use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S032",
        family: FAMILY,
        title: "Workload uses the default ServiceAccount",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Permissions granted to a namespace's `default` ServiceAccount reach every pod that names no account. A dedicated account per workload keeps grants narrow and auditable.",
            fix: "Create a ServiceAccount for the workload and set `serviceAccountName`.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  serviceAccountName: app\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["kubesec:ServiceAccountName"],
        partial: &[
            Partial::new(
                "C-0189",
                "Kubescape's CIS control covers the default ServiceAccount as a whole: used by pods, automounting, bound to roles. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["CIS-5.1.5", "NSA-AUTHZ-RBAC"],
        references: &["https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let sa = pod
        .spec
        .get("serviceAccountName")
        .or_else(|| pod.spec.get("serviceAccount"));
    match sa.and_then(Node::as_str) {
        Some(name) if name != "default" => Vec::new(),
        _ => vec![Hit::new(
            pod.field("serviceAccountName"),
            sa,
            pod.spec,
            "Pod runs under the namespace's default ServiceAccount",
        )],
    }
}
