//! The admission signature gate against a real registry on 127.0.0.1: an unsigned image is
//! refused with the reason, a signed one admitted, another key's signature refused; answers
//! are remembered, so a registry outage does not refuse what was verified; an image the gate
//! does not cover is not asked about; `warn` admits with a warning; `/mutate` pins a verified
//! tag to its digest.

mod common;

use common::registry;
use palisade_engine::admission::{Controller, ReviewKind, Reviewed};
use palisade_engine::sign::SigningKey;
use palisade_engine::signing::{self, SignOptions};
use serde_json::json;
use std::path::Path;

fn pod_review(image: &str) -> Vec<u8> {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "name": "web", "namespace": "apps", "operation": "CREATE",
        "userInfo": {"username": "alice"},
        "object": {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "web", "namespace": "apps"},
            "spec": {"containers": [{"name": "app", "image": image}]}}}})
    .to_string()
    .into_bytes()
}

fn controller(dir: &Path, gate: &str) -> Controller {
    let path = dir.join("admission.yaml");
    std::fs::write(
        &path,
        format!("podSecurity: {{enabled: false}}\nimages:\n  requireSignature:\n{gate}"),
    )
    .unwrap();
    Controller::from_yaml_file(&path).expect("config loads")
}

fn validate(c: &Controller, image: &str) -> Reviewed {
    c.review(ReviewKind::Validate, &pod_review(image))
        .expect("a review")
}

#[test]
fn signature_gate_at_admission() {
    let Some(mut reg) = registry::start() else {
        return;
    };
    let host = format!("127.0.0.1:{}", reg.port);
    let reference = format!("{host}/team/app:1");
    let digest = registry::push_demo(&reference);
    let dir = tempfile::tempdir().unwrap();
    let key = SigningKey::generate().unwrap();
    let other = SigningKey::generate().unwrap();
    std::fs::write(dir.path().join("cosign.pub"), key.public_key().to_pem()).unwrap();
    std::fs::write(dir.path().join("other.pub"), other.public_key().to_pem()).unwrap();
    let gate = |keys: &str, extra: &str| {
        format!("    keys: [{keys}]\n    insecureRegistries: [\"{host}\"]\n{extra}")
    };
    let fresh = controller(dir.path(), &gate("cosign.pub", "    cacheSeconds: 0\n"));

    let r = validate(&fresh, &reference);
    assert!(!r.allowed, "{}", r.response);
    assert_eq!(r.reason, "signature");
    let message = r.response["response"]["status"]["message"].to_string();
    assert!(
        message.contains("container \\\"app\\\"")
            && message.contains("team/app:1: no signature for sha256:"),
        "{message}"
    );

    signing::sign_image(&reference, &key, &SignOptions::default(), &registry::auth()).unwrap();
    let r = validate(&fresh, &reference);
    assert!(r.allowed, "{}", r.response);
    let pinned = format!("{host}/team/app@{digest}");
    assert!(validate(&fresh, &pinned).allowed);

    // /mutate pins the tag to the verified digest.
    let pin = controller(
        dir.path(),
        &format!(
            "{}mutate:\n  defaults: {{pinImageDigests: true}}\n",
            gate("cosign.pub", "")
        ),
    );
    let r = pin
        .review(ReviewKind::Mutate, &pod_review(&reference))
        .expect("a review");
    assert!(r.allowed, "{}", r.response);
    let patch: serde_json::Value = {
        use base64::Engine;
        let b64 = r.response["response"]["patch"].as_str().unwrap_or("");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .expect("base64");
        serde_json::from_slice(&bytes).expect("JSONPatch")
    };
    assert_eq!(
        patch,
        json!([{"op": "replace", "path": "/spec/containers/0/image",
                "value": format!("{reference}@{digest}")}])
    );
    // Pinned already: nothing to do.
    let r = pin
        .review(ReviewKind::Mutate, &pod_review(&pinned))
        .expect("a review");
    assert!(r.allowed && r.response["response"].get("patch").is_none());

    let wrong = controller(dir.path(), &gate("other.pub", "    cacheSeconds: 0\n"));
    let r = validate(&wrong, &reference);
    assert!(!r.allowed);
    assert_eq!(r.reason, "signature");

    // Not covered by `images`: admitted without asking.
    let elsewhere = controller(
        dir.path(),
        &gate("other.pub", "    images: [\"ghcr.io/acme/*\"]\n"),
    );
    assert!(validate(&elsewhere, &reference).allowed);

    let warn = controller(
        dir.path(),
        &gate("other.pub", "    action: warn\n    cacheSeconds: 0\n"),
    );
    let r = validate(&warn, &reference);
    assert!(r.allowed);
    assert!(
        r.response["response"]["warnings"]
            .to_string()
            .contains("team/app"),
        "{}",
        r.response
    );

    // Verified once, remembered: the registry going away does not refuse it...
    let cached = controller(dir.path(), &gate("cosign.pub", ""));
    assert!(validate(&cached, &reference).allowed);
    reg.stop();
    assert!(validate(&cached, &reference).allowed);
    // ...but what was never verified cannot be now: onError (deny by default) decides.
    let r = validate(&cached, &format!("{host}/team/other:1"));
    assert!(!r.allowed);
    assert_eq!(
        (r.reason.as_str(), r.eval_errors),
        ("error", 1),
        "{}",
        r.response
    );
}

#[test]
fn require_signature_needs_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("admission.yaml");
    std::fs::write(&path, "images:\n  requireSignature: true\n").unwrap();
    let err = Controller::from_yaml_file(&path).unwrap_err().to_string();
    assert!(err.contains("keys"), "{err}");
    std::fs::write(
        &path,
        "images:\n  requireSignature: {keys: [missing.pub]}\n",
    )
    .unwrap();
    let err = Controller::from_yaml_file(&path).unwrap_err().to_string();
    assert!(err.contains("missing.pub"), "{err}");
    std::fs::write(&path, "images:\n  requireSignature: false\n").unwrap();
    assert!(Controller::from_yaml_file(&path).is_ok());
}
