//! `/mutate` with Kyverno mutate rules among the policies: the patch carries the rules'
//! changes (and the security-context defaults), and the patched object is what is validated.

use base64::Engine;
use palisade_engine::admission::{Config, Controller, ReviewKind};
use serde_json::{json, Value};

const POLICY: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-team
spec:
  rules:
  - name: team-label
    match:
      any:
      - resources:
          kinds: [Pod]
    mutate:
      patchStrategicMerge:
        metadata:
          labels:
            +(team): platform
        spec:
          containers:
          - (image): "*:latest"
            imagePullPolicy: Always
"#;

fn review(object: Value) -> Vec<u8> {
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "name": "a", "namespace": "apps", "operation": "CREATE",
        "userInfo": {"username": "alice"}, "object": object}})
    .to_string()
    .into_bytes()
}

fn patch_of(response: &Value) -> Vec<Value> {
    let text = response["response"]["patch"].as_str().unwrap_or("");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

#[test]
fn kyverno_mutate_rules_become_the_patch() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mutate.yaml"), POLICY).expect("write");
    let config: Config =
        serde_json::from_value(json!({"policies": {"paths": [dir.path()]}})).expect("config");
    let c = Controller::load(&config).expect("load");
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "a", "namespace": "apps", "labels": {"app": "x"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:latest"}]}});
    let r = c
        .review(ReviewKind::Mutate, &review(pod))
        .expect("a review");
    assert!(r.allowed, "{}", r.response);
    let ops = patch_of(&r.response);
    assert!(
        ops.contains(&json!({"op": "add", "path": "/metadata/labels/team", "value": "platform"})),
        "{ops:?}"
    );
    assert!(
        ops.iter().any(|o| o["path"] == "/spec/containers"),
        "{ops:?}"
    );

    // Nothing to change: no patch.
    let pod = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "a", "namespace": "apps", "labels": {"team": "y"}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}});
    let r = c
        .review(ReviewKind::Mutate, &review(pod))
        .expect("a review");
    assert!(
        r.response["response"].get("patch").is_none(),
        "{}",
        r.response
    );
}
