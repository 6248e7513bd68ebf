use super::{check, Mismatch};
use serde_json::Value;

fn y(s: &str) -> Value {
    serde_yaml::from_str(s).expect("test yaml")
}

fn verdict(resource: &str, pattern: &str) -> &'static str {
    match check(&y(resource), &y(pattern)) {
        Ok(()) => "pass",
        Err(Mismatch::Skip(_)) => "skip",
        Err(Mismatch::Fail { .. }) => "fail",
        Err(Mismatch::Error(_)) => "error",
    }
}

const PRIVILEGED: &str = "
spec:
  =(initContainers):
  - =(securityContext):
      =(privileged): \"false\"
  containers:
  - =(securityContext):
      =(privileged): \"false\"
";

#[test]
fn equality_anchors_check_only_what_is_there() {
    assert_eq!(
        verdict("spec: {containers: [{name: a}]}", PRIVILEGED),
        "pass"
    );
    assert_eq!(
        verdict(
            "spec: {containers: [{name: a, securityContext: {privileged: false}}]}",
            PRIVILEGED
        ),
        "pass"
    );
    assert_eq!(
        verdict(
            "spec: {containers: [{name: a, securityContext: {privileged: true}}]}",
            PRIVILEGED
        ),
        "fail"
    );
    assert_eq!(
        verdict(
            "spec: {containers: [{name: a}], initContainers: [{name: i, securityContext: {privileged: true}}]}",
            PRIVILEGED
        ),
        "fail"
    );
}

#[test]
fn negation_anchor_fails_when_the_key_is_present() {
    let p = "spec: {=(volumes): [{X(hostPath): \"null\"}]}";
    assert_eq!(
        verdict("spec: {volumes: [{name: v, emptyDir: {}}]}", p),
        "pass"
    );
    assert_eq!(
        verdict("spec: {volumes: [{name: v, hostPath: {path: /}}]}", p),
        "fail"
    );
    assert_eq!(verdict("spec: {}", p), "pass");
}

#[test]
fn conditional_anchor_mismatch_skips() {
    let p = "spec: {containers: [{(name): \"nginx*\", image: \"*:1.*\"}]}";
    assert_eq!(
        verdict("spec: {containers: [{name: redis, image: redis:7}]}", p),
        "skip"
    );
    assert_eq!(
        verdict("spec: {containers: [{name: nginx, image: nginx:1.25}]}", p),
        "pass"
    );
    assert_eq!(
        verdict(
            "spec: {containers: [{name: nginx, image: nginx:latest}]}",
            p
        ),
        "fail"
    );
}

#[test]
fn global_anchor_gates_the_whole_pattern() {
    let p =
        "spec: {containers: [{<(image): \"registry.corp/*\"}], imagePullSecrets: [{name: \"?*\"}]}";
    assert_eq!(
        verdict("spec: {containers: [{image: docker.io/x}]}", p),
        "skip"
    );
    assert_eq!(
        verdict("spec: {containers: [{image: registry.corp/x}]}", p),
        "fail"
    );
    assert_eq!(
        verdict(
            "spec: {containers: [{image: registry.corp/x}], imagePullSecrets: [{name: s}]}",
            p
        ),
        "pass"
    );
}

#[test]
fn existence_anchor_needs_one_matching_element() {
    let p = "spec: {^(containers): [{image: \"nginx*\"}]}";
    assert_eq!(
        verdict("spec: {containers: [{image: redis}, {image: nginx:1}]}", p),
        "pass"
    );
    assert_eq!(verdict("spec: {containers: [{image: redis}]}", p), "fail");
}

#[test]
fn wildcard_label_keys_expand_against_the_resource() {
    let p = "metadata: {labels: {\"app.kubernetes.io/*\": \"?*\"}}";
    assert_eq!(
        verdict("metadata: {labels: {app.kubernetes.io/name: web}}", p),
        "pass"
    );
    assert_eq!(verdict("metadata: {labels: {team: web}}", p), "fail");
}

#[test]
fn required_fields_and_star() {
    let p = "spec: {containers: [{resources: {limits: {memory: \"?*\"}}}]}";
    assert_eq!(
        verdict(
            "spec: {containers: [{resources: {limits: {memory: 1Gi}}}]}",
            p
        ),
        "pass"
    );
    assert_eq!(verdict("spec: {containers: [{resources: {}}]}", p), "fail");
    assert_eq!(
        verdict("metadata: {name: x}", "metadata: {name: \"*\"}"),
        "pass"
    );
    assert_eq!(verdict("metadata: {}", "metadata: {name: \"*\"}"), "fail");
}

#[test]
fn hostile_depth_is_an_error_not_a_crash() {
    let mut p = serde_json::json!(1);
    for _ in 0..200 {
        p = serde_json::json!({ "a": p });
    }
    assert!(matches!(check(&p, &p), Err(Mismatch::Error(_))));
}
