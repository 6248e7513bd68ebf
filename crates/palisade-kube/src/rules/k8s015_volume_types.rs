use super::*;
use crate::pss::RESTRICTED_VOLUMES;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S015",
        family: FAMILY,
        title: "Volume type not allowed by the Restricted policy",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Volume sources other than configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret mount storage the pod should reach through PersistentVolumes, if at all; the Restricted policy forbids them.",
            fix: "Use a PersistentVolumeClaim (backed by a PersistentVolume) instead of an inline nfs, hostPath, gitRepo or cloud disk volume.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: data\n    nfs: {server: nfs.local, path: /exports}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0}\n  volumes:\n  - name: data\n    persistentVolumeClaim: {claimName: data}\n",
        },
        related: &[],
        partial: &[
            Partial::new(
                "KSV-0028",
                "Trivy does not count hostPath volumes here (its KSV-0023 does); this rule follows the Restricted policy, which forbids hostPath among the other non-core types.",
            ),
        ],
        compliance: &["PSS-restricted", "NSA-POD-HARDEN"],
        references: &[PSS_DOC],
    },
    pss: Some(PssControl { level: Level::Restricted, control: "Volume Types", since: 0 }),
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (i, v) in pod.volumes() {
        let name = v.get("name").and_then(Node::as_str).unwrap_or("");
        for (key, node) in v.as_map() {
            if key != "name" && !RESTRICTED_VOLUMES.contains(&key.as_str()) && !node.is_null() {
                hits.push(Hit::new(
                    pod.field(&format!("volumes[{i}].{key}")),
                    Some(node),
                    v,
                    format!(
                        "Volume '{name}' uses type {key}, not allowed by the Restricted policy"
                    ),
                ));
            }
        }
    }
    hits
}
