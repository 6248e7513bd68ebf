use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S026",
        family: FAMILY,
        title: "Image tag is latest or missing",
        severity: Severity::Medium,
        docs: RuleDocs {
            why: "An image without a tag, or tagged `latest`, changes under the workload without review; rollbacks and audits cannot tell which code ran.",
            fix: "Use an explicit version tag, or better a digest (`image: app@sha256:...`).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx:latest}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx:1.27.2}\n",
        },
        related: &["KSV-0013", "CKV_K8S_14"],
        partial: &[
            Partial::new(
                "C-0075",
                "Kubescape checks the pull policy of images tagged latest, not the tag itself. Kubescape is not among the peers run here, so this is not measured.",
            ),
        ],
        compliance: &["NSA-IMAGE-SECURE"],
        references: &["https://kubernetes.io/docs/concepts/containers/images/"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter_map(|c| {
            let image = c.image();
            let (tag, digest) = image_pins(image);
            let bad = digest.is_none() && matches!(tag.as_deref(), None | Some("latest"));
            bad.then(|| {
                Hit::new(
                    c.field("image"),
                    c.node.get("image"),
                    c.node,
                    format!(
                        "Container '{}' uses image {image:?} without a fixed tag",
                        c.name
                    ),
                )
            })
        })
        .collect()
}
