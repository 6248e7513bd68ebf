use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S044",
        family: FAMILY,
        title: "Container runs with a low UID",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "UIDs below 10000 can collide with real users on the node; after a container escape the process then owns that user's files.",
            fix: "Set `runAsUser` to 10000 or higher on the pod or container, or run the pod in its own user namespace (`hostUsers: false`).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 1000}\n  containers:\n  - {name: app, image: app:1.0}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 10001}\n  containers:\n  - {name: app, image: app:1.0}\n",
        },
        related: &["KSV-0020", "CKV_K8S_40", "kubesec:RunAsUser"],
        partial: &[],
        compliance: &["NSA-POD-NONROOT"],
        references: &[SC_DOC],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    // A private user namespace maps container UIDs away from host UIDs: no collision possible.
    if pod.spec.get("hostUsers").and_then(Node::as_bool) == Some(false) {
        return Vec::new();
    }
    pod.containers()
        .iter()
        .filter(|c| c.kind != crate::object::ContainerKind::Ephemeral)
        .filter_map(|c| {
            let (n, field) = match effective(pod, c, "runAsUser") {
                Some((n, f)) => (Some(n), f),
                None => (None, c.field("securityContext.runAsUser")),
            };
            match n.and_then(Node::as_i64) {
                Some(uid) if uid >= 10000 => None,
                Some(uid) => Some(Hit::new(
                    field,
                    n,
                    c.node,
                    format!("Container '{}' runs as UID {uid} (below 10000)", c.name),
                )),
                None => Some(Hit::new(
                    field,
                    None,
                    c.node,
                    format!(
                        "Container '{}' sets no runAsUser; the image's user applies",
                        c.name
                    ),
                )),
            }
        })
        .collect()
}
