use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S007",
        family: FAMILY,
        title: "hostPath volume",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "A hostPath volume exposes the node's filesystem to the pod; writable mounts of sensitive paths lead to node takeover. The Baseline policy forbids hostPath volumes.",
            fix: "Use emptyDir, configMap, secret or a PersistentVolumeClaim instead of hostPath.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: logs\n    hostPath: {path: /var/log}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: logs\n    emptyDir: {}\n",
        },
        related: &["KSV-0023"],
        partial: &[
            Partial::new(
                "C-0048",
                "Kubescape's hostPath-mount control. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["PSS-baseline", "CIS-5.2.12", "NSA-POD-PRIV"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Baseline, control: "HostPath Volumes", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.volumes()
        .into_iter()
        .filter_map(|(i, v)| {
            let hp = v.get("hostPath")?;
            let path = hp.get("path").and_then(Node::as_str).unwrap_or("?");
            let name = v.get("name").and_then(Node::as_str).unwrap_or("");
            Some(Hit::new(
                pod.field(&format!("volumes[{i}].hostPath")),
                Some(hp),
                v,
                format!("Volume '{name}' mounts host path {path}"),
            ))
        })
        .collect()
}
