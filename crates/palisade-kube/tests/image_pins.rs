//! Image pinning rules on references whose digest is of the wrong length, as written in
//! examples and docs (`@sha256:123456`): the tag and digest are still read (K8S026, K8S027,
//! K8S041 agree with Trivy and Checkov there; see docs/kube-agreement.md).

use palisade_kube::{scan_manifests, KubeOptions};

fn fired(image: &str) -> Vec<String> {
    let manifest = format!(
        "apiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: app}}\nspec:\n  containers:\n  - name: c\n    image: {image}\n"
    );
    let scan = scan_manifests(&[("pod.yaml".into(), manifest)], &KubeOptions::default());
    assert!(scan.errors.is_empty(), "{:?}", scan.errors);
    scan.findings.into_iter().map(|f| f.rule_id).collect()
}

#[test]
fn tag_and_short_digest_pin_the_image() {
    let ids = fired("gcr.io/x/kafka:1.0-10.2.1@sha256:123456");
    assert!(!ids.iter().any(|i| i == "K8S026"), "{ids:?}");
    assert!(!ids.iter().any(|i| i == "K8S027"), "{ids:?}");
}

#[test]
fn short_digest_alone_pins_the_image() {
    let ids = fired("gcr.io/x/kafka@sha256:123456");
    assert!(!ids.iter().any(|i| i == "K8S026"), "{ids:?}");
    assert!(!ids.iter().any(|i| i == "K8S027"), "{ids:?}");
}

#[test]
fn untagged_image_is_still_flagged() {
    let ids = fired("gcr.io/x/kafka");
    assert!(ids.iter().any(|i| i == "K8S026"), "{ids:?}");
    assert!(ids.iter().any(|i| i == "K8S027"), "{ids:?}");
}
