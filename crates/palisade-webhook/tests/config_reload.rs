//! `admission.yaml` changed under a running slot: the new configuration answers from the
//! next review on; a broken file keeps the previous one.

use palisade_engine::admission::{Controller, ReviewKind};
use palisade_webhook::{watch_config, ControllerSlot};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PRIVILEGED: &str = r#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
  "uid":"u1","kind":{"group":"","version":"v1","kind":"Pod"},
  "resource":{"group":"","version":"v1","resource":"pods"},"namespace":"shop","operation":"CREATE",
  "userInfo":{"username":"alice"},
  "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"},
    "spec":{"containers":[{"name":"c","image":"nginx","securityContext":{"privileged":true}}]}}}}"#;

fn allowed(slot: &ControllerSlot) -> bool {
    slot.load()
        .review(ReviewKind::Validate, PRIVILEGED.as_bytes())
        .expect("a review")
        .allowed
}

fn wait_for(slot: &ControllerSlot, want: bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if allowed(slot) == want {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn configuration_changes_take_effect_and_broken_ones_do_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("admission.yaml");
    std::fs::write(&path, "podSecurity:\n  enabled: false\n").expect("write");
    let slot = ControllerSlot::new(Arc::new(
        Controller::from_yaml_file(&path).expect("config loads"),
    ));
    assert!(
        allowed(&slot),
        "Pod Security off: the privileged pod passes"
    );
    watch_config(path.clone(), slot.clone(), Duration::from_millis(100));

    std::fs::write(
        &path,
        "podSecurity:\n  defaults:\n    enforce: baseline\n    enforce-version: latest\n",
    )
    .expect("write");
    assert!(wait_for(&slot, false), "the new configuration denies it");

    std::fs::write(&path, "podSecurity: [this is not a configuration\n").expect("write");
    std::thread::sleep(Duration::from_millis(600));
    assert!(
        !allowed(&slot),
        "a broken file keeps the previous configuration"
    );
}

const TEMPLATE: &str = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: k8srequiredlabels}
spec:
  crd: {spec: {names: {kind: K8sRequiredLabels}}}
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

const CONSTRAINT: &str = "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: {name: owner}\nspec:\n  match:\n    kinds: [{apiGroups: [\"\"], kinds: [Pod]}]\n  parameters: {labels: [owner]}\n";

/// A policy directory is watched with the file that names it: a constraint added or removed
/// (a ConfigMap of constraints updated) takes effect without touching admission.yaml.
#[test]
fn policy_directory_changes_take_effect() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).expect("mkdir");
    std::fs::write(policies.join("template.yaml"), TEMPLATE).expect("write");
    let path = dir.path().join("admission.yaml");
    std::fs::write(
        &path,
        "podSecurity:\n  enabled: false\npolicies:\n  paths: [policies]\n",
    )
    .expect("write");
    let slot = ControllerSlot::new(Arc::new(
        Controller::from_yaml_file(&path).expect("config loads"),
    ));
    assert!(allowed(&slot), "a template without constraints admits");
    watch_config(path.clone(), slot.clone(), Duration::from_millis(100));

    std::fs::write(policies.join("owner.yaml"), CONSTRAINT).expect("write");
    assert!(
        wait_for(&slot, false),
        "the new constraint denies the unlabelled pod"
    );

    std::fs::remove_file(policies.join("owner.yaml")).expect("rm");
    assert!(
        wait_for(&slot, true),
        "the constraint removed, the pod passes"
    );
}
