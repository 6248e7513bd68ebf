//! `palisade admission review | certs` through the binary (the server itself is tested over
//! HTTPS in crates/palisade-webhook/tests).

mod common;

use common::*;

const PRIVILEGED_POD: &str = r#"{
  "apiVersion": "admission.k8s.io/v1",
  "kind": "AdmissionReview",
  "request": {
    "uid": "7b0c2f3e-1111-4222-8333-944455556666",
    "kind": {"group": "", "version": "v1", "kind": "Pod"},
    "resource": {"group": "", "version": "v1", "resource": "pods"},
    "namespace": "shop",
    "operation": "CREATE",
    "userInfo": {"username": "alice"},
    "object": {
      "apiVersion": "v1", "kind": "Pod",
      "metadata": {"name": "p", "namespace": "shop"},
      "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "securityContext": {"privileged": true}}]}
    }
  }
}"#;

#[test]
fn review_denies_a_privileged_pod_under_the_default_policy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("review.json");
    std::fs::write(&path, PRIVILEGED_POD).expect("write");
    let out = palisade()
        .args(["admission", "review", &path.display().to_string()])
        .assert()
        .code(1);
    let review: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("an AdmissionReview");
    assert_eq!(review["kind"], "AdmissionReview");
    assert_eq!(
        review["response"]["uid"],
        "7b0c2f3e-1111-4222-8333-944455556666"
    );
    assert_eq!(review["response"]["allowed"], false);
    assert_eq!(review["response"]["status"]["code"], 403);
    let msg = review["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        msg.contains("violates PodSecurity \"baseline:latest\": privileged"),
        "{msg}"
    );
}

#[test]
fn review_reads_stdin_and_refuses_what_is_not_a_review() {
    palisade()
        .args(["admission", "review", "-"])
        .write_stdin("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}")
        .assert()
        .code(2);
    let out = palisade()
        .args(["admission", "review", "-"])
        .write_stdin(PRIVILEGED_POD.replace("\"privileged\": true", "\"privileged\": false"))
        .assert()
        .code(0);
    let review: serde_json::Value =
        serde_json::from_slice(&out.get_output().stdout).expect("an AdmissionReview");
    assert_eq!(review["response"]["allowed"], true);
}

#[test]
fn certs_writes_a_ca_and_a_serving_pair_and_prints_the_ca_bundle() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = palisade()
        .args([
            "admission",
            "certs",
            "--service",
            "palisade",
            "--namespace",
            "palisade-system",
            "--out",
            &dir.path().display().to_string(),
        ])
        .assert()
        .success();
    let bundle = String::from_utf8_lossy(&out.get_output().stdout)
        .trim()
        .to_string();
    let ca = std::fs::read_to_string(dir.path().join("ca.crt")).expect("ca.crt");
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&bundle)
        .expect("base64 caBundle");
    assert_eq!(String::from_utf8_lossy(&decoded), ca);
    assert!(dir.path().join("tls.crt").is_file() && dir.path().join("tls.key").is_file());
}

#[test]
fn the_deploy_manifests_admission_config_loads() {
    let text = std::fs::read_to_string(repo_root().join("deploy/manifests/configmap.yaml"))
        .expect("configmap.yaml");
    let doc: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    let config = doc["data"]["admission.yaml"]
        .as_str()
        .expect("admission.yaml key");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("admission.yaml"), config).expect("write");
    std::fs::write(dir.path().join("review.json"), PRIVILEGED_POD).expect("write");
    // Unknown fields are refused at load (exit 2): a 0 or 1 means the config was taken.
    let out = palisade()
        .args([
            "admission",
            "review",
            "--config",
            &dir.path().join("admission.yaml").display().to_string(),
            &dir.path().join("review.json").display().to_string(),
        ])
        .assert();
    let code = out.get_output().status.code();
    assert!(matches!(code, Some(0) | Some(1)), "{:?}", out.get_output());
}
