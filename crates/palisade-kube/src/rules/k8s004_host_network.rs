use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S004",
        family: FAMILY,
        title: "Access to the host network namespace",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Sharing the node's network namespace (`hostNetwork: true`) breaks the isolation between the pod and the node and every other pod on it; the Baseline policy forbids it.",
            fix: "Remove `hostNetwork: true` from the pod spec (or set it to false).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: false\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0009", "CKV_K8S_19", "kubesec:HostNetwork"],
        partial: &[
            Partial::new(
                "C-0041",
                "Kubescape's HostNetwork control (its C-0038 is hostPID/hostIPC, not the network). Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.5", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Host Namespaces", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    match pod.spec.get("hostNetwork") {
        Some(n) if n.as_bool() == Some(true) => {
            vec![Hit::new(
                pod.field("hostNetwork"),
                Some(n),
                pod.spec,
                "Pod shares the host network namespace (hostNetwork: true)",
            )]
        }
        _ => Vec::new(),
    }
}
