use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S002",
        family: FAMILY,
        title: "Access to the host PID namespace",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Sharing the node's PID namespace (`hostPID: true`) breaks the isolation between the pod and the node and every other pod on it; the Baseline policy forbids it.",
            fix: "Remove `hostPID: true` from the pod spec (or set it to false).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: false\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0010", "CKV_K8S_17", "kubesec:HostPID"],
        partial: &[
            Partial::new(
                "C-0038",
                "Kubescape's control covers hostPID and hostIPC together; this rule is hostPID only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.3", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Host Namespaces", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    match pod.spec.get("hostPID") {
        Some(n) if n.as_bool() == Some(true) => {
            vec![Hit::new(
                pod.field("hostPID"),
                Some(n),
                pod.spec,
                "Pod shares the host PID namespace (hostPID: true)",
            )]
        }
        _ => Vec::new(),
    }
}
