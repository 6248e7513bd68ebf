use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S003",
        family: FAMILY,
        title: "Access to the host IPC namespace",
        severity: Severity::High,
        docs: RuleDocs {
            why: "Sharing the node's IPC namespace (`hostIPC: true`) breaks the isolation between the pod and the node and every other pod on it; the Baseline policy forbids it.",
            fix: "Remove `hostIPC: true` from the pod spec (or set it to false).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: false\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0008", "CKV_K8S_18"],
        partial: &[
            Partial::new(
                "C-0038",
                "Kubescape's control covers hostPID and hostIPC together; this rule is hostIPC only. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.4", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "Host Namespaces", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    match pod.spec.get("hostIPC") {
        Some(n) if n.as_bool() == Some(true) => {
            vec![Hit::new(
                pod.field("hostIPC"),
                Some(n),
                pod.spec,
                "Pod shares the host IPC namespace (hostIPC: true)",
            )]
        }
        _ => Vec::new(),
    }
}
