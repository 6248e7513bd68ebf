use super::*;
use palisade_core::{RuleDocs, Severity};

pub static RULE: Rule = Rule {
    meta: RuleMeta {
        id: "K8S041",
        family: FAMILY,
        title: "Image pull policy is not Always",
        severity: Severity::Low,
        docs: RuleDocs {
            why: "With IfNotPresent or Never, a pod can start from an image cached on the node that its own credentials could not pull, or from a stale tag.",
            fix: "Set `imagePullPolicy: Always`, or pin the image by digest.",
            bad_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0, imagePullPolicy: IfNotPresent}\n",
            good_example: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: app, image: app:1.0, imagePullPolicy: Always}\n",
        },
        related: &["CKV_K8S_15"],
        partial: &[],
        compliance: &["NSA-IMAGE-SECURE"],
        references: &["https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy"],
    },
    pss: None,
    check: Check::Pod(check),
};

fn check(_: &Ctx, _: &Obj, pod: &PodSpec) -> Vec<Hit> {
    pod.containers()
        .iter()
        .filter_map(|c| {
            let policy = c.node.get("imagePullPolicy");
            let (tag, digest) = image_pins(c.image());
            let bad = match policy.and_then(Node::as_str) {
                Some("Always") => false,
                Some(_) => true,
                // The API server defaults to Always for `latest` and untagged images.
                None => digest.is_none() && !matches!(tag.as_deref(), None | Some("latest")),
            };
            bad.then(|| {
                Hit::new(
                    c.field("imagePullPolicy"),
                    policy.or(c.node.get("image")),
                    c.node,
                    format!("Container '{}' does not always pull its image", c.name),
                )
            })
        })
        .collect()
}
