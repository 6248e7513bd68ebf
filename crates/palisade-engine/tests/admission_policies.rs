//! The admission pipeline with user policies (Gatekeeper, VAP, Kyverno, Rego), Palisade's
//! Kubernetes rules, image rules and the vulnerability gate, on reviews written here.

use palisade_engine::admission::{Config, Controller, OnError, ReviewKind, Reviewed};
use serde_json::{json, Value};
use std::path::Path;

const TEMPLATE: &str = r#"
apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd:
    spec:
      names: {kind: K8sRequiredLabels}
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels: {type: array, items: {type: string}}
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8srequiredlabels
        violation[{"msg": msg}] {
          provided := {l | input.review.object.metadata.labels[l]}
          required := {l | l := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("missing labels: %v", [missing])
        }
"#;

fn constraint(name: &str, action: &str, label: &str) -> String {
    format!(
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: {{name: {name}}}\nspec:\n  enforcementAction: {action}\n  match:\n    kinds: [{{apiGroups: [\"\"], kinds: [Pod]}}]\n  parameters: {{labels: [{label}]}}\n"
    )
}

const VAP: &str = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: name-prefix}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
    - expression: "object.metadata.name.startsWith('ok-')"
      message: "pod names start with ok-"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: name-prefix-warn}
spec:
  policyName: name-prefix
  validationActions: [Warn, Audit]
"#;

const KYVERNO: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: require-team}
spec:
  validationFailureAction: Enforce
  rules:
    - name: team-label
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        message: "label team is required"
        pattern: {metadata: {labels: {team: "?*"}}}
"#;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

fn pod(name: &str, labels: Value, image: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "apps", "labels": labels},
           "spec": {"containers": [{"name": "c", "image": image}]}})
}

fn review(object: Value, op: &str) -> Vec<u8> {
    let key = if op == "DELETE" {
        "oldObject"
    } else {
        "object"
    };
    json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {
        "uid": "u-1", "kind": {"group": "", "version": "v1", "kind": "Pod"},
        "resource": {"group": "", "version": "v1", "resource": "pods"},
        "name": object["metadata"]["name"], "namespace": "apps", "operation": op,
        "userInfo": {"username": "alice"}, key: object}})
    .to_string()
    .into_bytes()
}

fn validate(c: &Controller, body: &[u8]) -> Reviewed {
    c.review(ReviewKind::Validate, body).expect("a review")
}

fn with_policies(dir: &Path, extra: Value) -> Controller {
    let mut config = json!({"policies": {"paths": [dir]}});
    if let (Some(c), Some(e)) = (config.as_object_mut(), extra.as_object()) {
        c.extend(e.clone());
    }
    let config: Config = serde_json::from_value(config).expect("config");
    Controller::load(&config).expect("load")
}

#[test]
fn gatekeeper_deny_warn_and_dryrun() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "template.yaml", TEMPLATE);
    write(
        dir.path(),
        "owner.yaml",
        &constraint("must-have-owner", "deny", "owner"),
    );
    write(
        dir.path(),
        "team.yaml",
        &constraint("should-have-team", "warn", "team"),
    );
    write(
        dir.path(),
        "cost.yaml",
        &constraint("cost-centre", "dryrun", "cost"),
    );
    let c = with_policies(dir.path(), json!({}));
    let r = validate(&c, &review(pod("ok-a", json!({}), "nginx"), "CREATE"));
    assert!(!r.allowed);
    assert_eq!(r.reason, "policy");
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(msg.contains("[must-have-owner] missing labels"), "{msg}");
    let r = validate(
        &c,
        &review(pod("ok-a", json!({"owner": "me"}), "nginx"), "CREATE"),
    );
    assert!(r.allowed, "{}", r.response);
    let warnings = r.response["response"]["warnings"].to_string();
    assert!(
        warnings.contains("[should-have-team]") && !warnings.contains("cost-centre"),
        "{warnings}"
    );
}

#[test]
fn evaluation_errors_follow_on_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "template.yaml", TEMPLATE);
    write(
        dir.path(),
        "owner.yaml",
        &constraint("must-have-owner", "deny", "owner"),
    );
    // Gatekeeper cannot review a DELETE without the deleted object.
    let body = br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview",
        "request":{"uid":"u-2","operation":"DELETE","kind":{"group":"","version":"v1","kind":"Pod"},
        "namespace":"apps","name":"x"}}"#;
    let closed = with_policies(dir.path(), json!({}));
    let r = validate(&closed, body);
    assert!(!r.allowed);
    assert_eq!((r.reason.as_str(), r.eval_errors), ("error", 1));
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(msg.contains("DELETE needs oldObject"), "{msg}");
    let open = with_policies(dir.path(), json!({"onError": "allow"}));
    let r = validate(&open, body);
    assert!(r.allowed);
    assert_eq!(r.eval_errors, 1);
    assert!(r.response["response"]["warnings"]
        .to_string()
        .contains("DELETE needs oldObject"));
    assert_eq!(Config::default().on_error, OnError::Deny);
}

#[test]
fn vap_warn_and_audit() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "vap.yaml", VAP);
    let c = with_policies(dir.path(), json!({}));
    let r = validate(&c, &review(pod("bad", json!({}), "nginx"), "CREATE"));
    assert!(r.allowed, "{}", r.response);
    let w = r.response["response"]["warnings"][0].as_str().unwrap_or("");
    assert_eq!(w, "Validation failed for ValidatingAdmissionPolicy 'name-prefix' with binding 'name-prefix-warn': pod names start with ok-");
    let audit = r.response["response"]["auditAnnotations"].to_string();
    assert!(
        audit.contains("validation.policy.admission.k8s.io/validation_failure"),
        "{audit}"
    );
    let r = validate(&c, &review(pod("ok-a", json!({}), "nginx"), "CREATE"));
    assert!(
        r.response["response"].get("warnings").is_none(),
        "{}",
        r.response
    );
}

#[test]
fn kyverno_enforce_and_rego_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "kyverno.yaml", KYVERNO);
    write(dir.path(), "main.rego", "package main\n\nwarn contains msg if {\n  input.kind == \"Pod\"\n  not input.metadata.labels.owner\n  msg := \"pods should name an owner\"\n}\n");
    let c = with_policies(dir.path(), json!({}));
    let r = validate(&c, &review(pod("a", json!({}), "nginx"), "CREATE"));
    assert!(!r.allowed);
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(msg.contains("require-team/team-label"), "{msg}");
    assert!(r.response["response"]["warnings"]
        .to_string()
        .contains("main.warn: pods should name an owner"));
    let r = validate(
        &c,
        &review(
            pod("a", json!({"team": "x", "owner": "y"}), "nginx"),
            "CREATE",
        ),
    );
    assert!(r.allowed, "{}", r.response);
}

#[test]
fn kubernetes_rules_deny_or_warn() {
    let config: Config =
        serde_json::from_value(json!({"kubernetesRules": {"severity": "HIGH"}})).expect("config");
    let c = Controller::load(&config).expect("load");
    let mut p = pod("a", json!({}), "nginx:1.27");
    p["spec"]["hostNetwork"] = json!(true);
    let r = validate(&c, &review(p.clone(), "CREATE"));
    assert!(!r.allowed);
    assert_eq!(r.reason, "kubernetes-rules");
    let config: Config =
        serde_json::from_value(json!({"kubernetesRules": {"severity": "HIGH", "action": "warn"}}))
            .expect("config");
    let r = validate(
        &Controller::load(&config).expect("load"),
        &review(p, "CREATE"),
    );
    assert!(
        r.allowed
            && r.response["response"]["warnings"]
                .as_array()
                .is_some_and(|w| !w.is_empty())
    );
    // Only findings at the threshold or above: the pod's MEDIUM and LOW findings (no
    // resources, no probes) are not reported.
    let rule_warnings: Vec<&str> = r.response["response"]["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|w| w.as_str())
        .filter(|w| w.starts_with("K8S"))
        .collect();
    assert!(!rule_warnings.is_empty());
    assert!(
        rule_warnings
            .iter()
            .all(|w| w.contains(" (HIGH): ") || w.contains(" (CRITICAL): ")),
        "{rule_warnings:?}"
    );
}

const DIGEST: &str = "sha256:3f1b2c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";

#[test]
fn image_registries_digests_and_signatures() {
    let config: Config = serde_json::from_value(json!({"images": {
        "allowedRegistries": ["ghcr.io/acme", "*.example.com/*"], "requireDigest": true}}))
    .expect("config");
    let c = Controller::load(&config).expect("load");
    let ok = format!("ghcr.io/acme/app@{DIGEST}");
    assert!(validate(&c, &review(pod("a", json!({}), &ok), "CREATE")).allowed);
    let r = validate(
        &c,
        &review(
            pod("a", json!({}), "docker.io/library/nginx:1.27"),
            "CREATE",
        ),
    );
    assert!(!r.allowed);
    assert_eq!(r.reason, "image");
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        msg.contains("not from an allowed registry") && msg.contains("pinned by digest"),
        "{msg}"
    );
    let tagged = "eu.example.com/team/app:1";
    let msg = validate(&c, &review(pod("a", json!({}), tagged), "CREATE"))
        .response
        .to_string();
    assert!(
        !msg.contains("allowed registry") && msg.contains("pinned by digest"),
        "{msg}"
    );
    let signed: Config =
        serde_json::from_value(json!({"images": {"requireSignature": true}})).expect("config");
    // Nothing to verify with: refused at load (the gate itself: admission_signatures.rs).
    let err = Controller::load(&signed).expect_err("keys needed");
    assert!(err.to_string().contains("keys"), "{err}");
}

#[test]
fn vulnerability_gate_from_stored_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = json!({"schema_version": 1, "results": [{
        "target": {"kind": "image", "name": "ghcr.io/acme/app"},
        "image": {"references": [format!("ghcr.io/acme/app@{DIGEST}")], "manifest_digest": DIGEST,
                  "config_digest": "sha256:00", "os": "linux", "architecture": "amd64", "layers": []},
        "findings": [
            {"rule_id": "CVE-2024-0001", "kind": "vulnerability", "severity": "CRITICAL"},
            {"rule_id": "CVE-2024-0002", "kind": "vulnerability", "severity": "LOW"}]}]});
    write(dir.path(), "app.json", &report.to_string());
    let gate = |severity: &str| {
        let config: Config = serde_json::from_value(json!({"images": {"vulnerabilities": {
            "reports": dir.path(), "severity": severity}}}))
        .expect("config");
        Controller::load(&config).expect("load")
    };
    let image = format!("ghcr.io/acme/app@{DIGEST}");
    let r = validate(
        &gate("CRITICAL"),
        &review(pod("a", json!({}), &image), "CREATE"),
    );
    assert!(!r.allowed);
    assert_eq!(r.reason, "vulnerability");
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        msg.contains("1 finding(s) at or above CRITICAL: CVE-2024-0001"),
        "{msg}"
    );
    // Other digests (no report) and tags pass; no image is pulled.
    let other = DIGEST.replace("3f1b", "0000");
    assert!(
        validate(
            &gate("CRITICAL"),
            &review(
                pod("a", json!({}), &format!("ghcr.io/acme/app@{other}")),
                "CREATE"
            )
        )
        .allowed
    );
    assert!(
        validate(
            &gate("LOW"),
            &review(pod("a", json!({}), "ghcr.io/acme/app:1"), "CREATE")
        )
        .allowed
    );
}

#[test]
fn yaml_configuration_with_relative_paths() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("policies")).expect("mkdir");
    write(&dir.path().join("policies"), "template.yaml", TEMPLATE);
    write(
        &dir.path().join("policies"),
        "owner.yaml",
        &constraint("must-have-owner", "deny", "owner"),
    );
    write(dir.path(), "admission.yaml", "podSecurity:\n  defaults: {enforce: baseline, warn: restricted}\npolicies:\n  paths: [policies]\n  timeoutMs: 500\nonError: deny\n");
    let c = Controller::from_yaml_file(dir.path().join("admission.yaml")).expect("load");
    assert!(!validate(&c, &review(pod("a", json!({}), "nginx"), "CREATE")).allowed);
    write(
        dir.path(),
        "bad.yaml",
        "podSecurity:\n  defaults: {enforce: strict}\n",
    );
    assert!(Controller::from_yaml_file(dir.path().join("bad.yaml")).is_err());
    write(dir.path(), "typo.yaml", "onErorr: allow\n");
    assert!(Controller::from_yaml_file(dir.path().join("typo.yaml")).is_err());
}
