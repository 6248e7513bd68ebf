//! Every AdmissionReview and AdmissionRequest of the shared corpus
//! (`/work/shared/corpus/policy/admission`, see its README) gets a well-formed answer in its
//! own apiVersion with its uid echoed, and what is not a review is refused (HTTP 400), with
//! the expectations the corpus derives from gator and Kyverno checked. Skipped when the
//! corpus is absent.

use palisade_engine::admission::{Config, Controller, ReviewKind};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const ROOT: &str = "/work/shared/corpus/policy/admission";

fn corpus() -> Option<PathBuf> {
    let root = PathBuf::from(ROOT);
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("SKIPPED: {ROOT} is absent");
        None
    }
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            json_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

/// Whether a document is a review to answer: an envelope with a request object, or a bare
/// request.
fn is_request(doc: &Value) -> bool {
    doc.get("request").is_some_and(Value::is_object)
        || (doc.get("apiVersion").is_none()
            && doc.get("uid").is_some()
            && doc.get("kind").is_some_and(Value::is_object))
}

/// Checks the answer's shape; returns whether it was answered (true) or refused (false).
fn check_one(c: &Controller, kind: ReviewKind, body: &[u8], what: &str) -> bool {
    let doc: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    match c.review(kind, body) {
        Ok(r) => {
            assert!(is_request(&doc), "{what}: answered a non-review");
            let request = doc.get("request").unwrap_or(&doc);
            let uid = request.get("uid").and_then(Value::as_str).unwrap_or("");
            let api = doc
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or("admission.k8s.io/v1");
            assert_eq!(r.response["apiVersion"], api, "{what}");
            assert_eq!(r.response["kind"], "AdmissionReview", "{what}");
            assert_eq!(r.response["response"]["uid"], uid, "{what}");
            assert_eq!(r.response["response"]["allowed"], r.allowed, "{what}");
            if !r.allowed {
                assert_eq!(r.response["response"]["status"]["code"], 403, "{what}");
            }
            if let Some(p) = r.response["response"].get("patch") {
                assert_eq!(r.response["response"]["patchType"], "JSONPatch", "{what}");
                assert!(p.as_str().is_some_and(|p| !p.is_empty()), "{what}");
            }
            true
        }
        Err(e) => {
            assert!(!is_request(&doc), "{what}: refused a review: {e}");
            false
        }
    }
}

fn strict() -> Controller {
    let config: Config = serde_json::from_value(json!({
        "podSecurity": {"defaults": {"enforce": "baseline", "audit": "restricted", "warn": "restricted"}},
        "kubernetesRules": {"severity": "HIGH", "action": "warn"},
        "mutate": {"defaults": {"runAsNonRoot": true, "seccompRuntimeDefault": true,
                                "dropAllCapabilities": true, "disallowPrivilegeEscalation": true}}}))
    .expect("config");
    Controller::load(&config).expect("load")
}

#[test]
fn every_corpus_review_is_answered_in_kind() {
    let Some(root) = corpus() else { return };
    let controllers = [Controller::default_policy(), strict()];
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let (mut answered, mut refused) = (0, 0);
    for f in &files {
        let Ok(body) = std::fs::read(f) else { continue };
        for c in &controllers {
            for kind in [ReviewKind::Validate, ReviewKind::Mutate] {
                if check_one(c, kind, &body, &f.display().to_string()) {
                    answered += 1;
                } else {
                    refused += 1;
                }
            }
        }
    }
    let log = root.join("kube-audit-rest/testing/locally/data/kube-audit-rest.log");
    let mut lines = 0;
    for line in std::fs::read_to_string(&log).unwrap_or_default().lines() {
        lines += 1;
        assert!(check_one(
            &controllers[0],
            ReviewKind::Validate,
            line.as_bytes(),
            "kube-audit-rest.log"
        ));
    }
    eprintln!("{} files: {answered} answers, {refused} refusals (4 runs each); {lines} log lines answered", files.len());
    assert!(answered > 1000 && lines == 59, "{answered} {lines}");
    // Kyverno's handler: truncated JSON and an empty body are no reviews.
    let truncated = std::fs::read(root.join("kyverno/admission__malformed_json_body.json.txt"))
        .unwrap_or_default();
    for bad in [&truncated[..], b""] {
        assert!(controllers[0].review(ReviewKind::Validate, bad).is_err());
    }
}

#[test]
fn gator_fixture_expectations() {
    let Some(root) = corpus() else { return };
    let dir = root.join("gatekeeper-gator-fixtures");
    let policies = tempfile::tempdir().expect("tempdir");
    for f in [
        "TemplateValidateUserInfo.yaml",
        "ConstraintAlwaysValidateUserInfo.yaml",
    ] {
        std::fs::copy(dir.join(f), policies.path().join(f)).expect("copy");
    }
    let config: Config = serde_json::from_value(json!({"policies": {"paths": [policies.path()]},
        "podSecurity": {"enabled": false}}))
    .expect("config");
    let c = Controller::load(&config).expect("load");
    let expected: Value =
        serde_json::from_slice(&std::fs::read(dir.join("_expected.json")).expect("read"))
            .expect("json");
    let mut met = 0;
    for (file, want) in expected
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| !k.starts_with('_'))
    {
        let body = std::fs::read(dir.join(file)).expect("fixture");
        let got = c.review(ReviewKind::Validate, &body);
        if let Some(error) = want.get("error").and_then(Value::as_str) {
            // gator's refusals: no request at all is a bad body (400); the others are reviews
            // Gatekeeper cannot evaluate, which onError (deny) decides.
            match got {
                Err(_) => assert!(
                    error.contains("MissingK8sAdmissionRequest")
                        || error.contains("InvalidK8sAdmissionReview"),
                    "{file}: {error}"
                ),
                Ok(r) => assert_eq!(
                    (r.reason.as_str(), r.allowed),
                    ("error", false),
                    "{file}: {}",
                    r.response
                ),
            }
        } else {
            let r = got.expect("answered");
            let a = &want["assertions"][0];
            let violation = a["violations"] == "yes";
            assert_eq!(r.allowed, !violation, "{file}: {}", r.response);
            if let Some(m) = a.get("message").and_then(Value::as_str) {
                assert!(r.response.to_string().contains(m), "{file}");
            }
        }
        met += 1;
    }
    eprintln!("gator fixtures: {met} of 9 expectations met");
    assert_eq!(met, 9);
}

#[test]
fn kyverno_handler_expectations() {
    let Some(root) = corpus() else { return };
    let body = std::fs::read(root.join("kyverno/admission__nil_request_field.json")).expect("read");
    assert!(
        Controller::default_policy()
            .review(ReviewKind::Validate, &body)
            .is_err(),
        "nil request: 400"
    );
}

/// kubewarden's pod-privileged-policy (default settings) refuses exactly the privileged Pods
/// Pod Security baseline refuses; its e2e expectations on Pods must agree with ours.
#[test]
fn kubewarden_privileged_expectations_agree_with_baseline() {
    let Some(root) = corpus() else { return };
    let text = std::fs::read_to_string(root.join("kubewarden-policies/_e2e_expectations.jsonl"))
        .unwrap_or_default();
    let c = Controller::default_policy();
    let mut met = 0;
    for line in text.lines() {
        let Ok(t) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let run = &t["runs"][0];
        if t["policy"] != "pod-privileged-policy"
            || !run["settings_path"].is_null()
            || !run["settings_json"].is_null()
        {
            continue;
        }
        let Some(req) = run["request"].as_str() else {
            continue;
        };
        let path = root
            .join("kubewarden-policies/policies/pod-privileged-policy")
            .join(req);
        let Ok(body) = std::fs::read(&path) else {
            continue;
        };
        let doc: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let (Some(want), Ok(r)) = (
            t["expect"]["allowed"].as_bool(),
            c.review(ReviewKind::Validate, &body),
        ) else {
            continue;
        };
        // PSA enforces on Pods only; kubewarden's policy also refuses controllers.
        if doc.pointer("/kind/kind").and_then(Value::as_str) != Some("Pod") {
            continue;
        }
        assert_eq!(r.allowed, want, "{}: {}", path.display(), r.response);
        met += 1;
    }
    eprintln!("kubewarden pod-privileged-policy: {met} Pod expectations met");
    assert!(met >= 2, "{met}");
}
