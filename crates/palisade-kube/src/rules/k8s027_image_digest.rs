use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S027",
        family: FAMILY,
        title: "Image not pinned by digest",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "Tags are mutable: whoever can push to the repository can change what a tag points to. A digest pins the exact image that was reviewed and scanned.",
            fix: "Reference images as `name@sha256:<digest>` (a tag may stay for readability: `name:1.2@sha256:...`).",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: nginx:1.27.2}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: \"nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\"}\n",
        },
        related: &["CKV_K8S_43"],
        partial: &[],
        compliance: &["NSA-IMAGE-SECURE"],
        references: &["https://kubernetes.io/docs/concepts/containers/images/#image-names"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter(|c| image_pins(c.image()).1.is_none())
        .map(|c| {
            Hit::new(
                c.field("image"),
                c.node.get("image"),
                c.node,
                format!(
                    "Container '{}' image {:?} is not pinned by digest",
                    c.name,
                    c.image()
                ),
            )
        })
        .collect()
}
