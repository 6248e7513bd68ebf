//! A `kyverno-test.yaml` with a `context:` file: its mock resources and images answer
//! Kyverno's `resource.Get` / `resource.List` / `image.GetMetadata` in ValidatingPolicies,
//! as under `kyverno test`; without the file those calls stay offline errors.

use palisade_policy::kyverno_test::{run_test, Status};
use std::path::Path;

const POLICIES: &str = r#"
apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: team-allowed
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [pods]
  variables:
  - name: cm
    expression: resource.Get('v1', 'configmaps', object.metadata.namespace, 'teams')
  validations:
  - expression: >-
      variables.cm != null && object.metadata.labels.team in variables.cm.data.teams.split(',')
    message: team not allowed
---
apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: has-service
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [pods]
  validations:
  - expression: >-
      resource.List('v1', 'services', object.metadata.namespace).items
        .exists(s, s.metadata.name == object.metadata.name)
---
apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata:
  name: image-fresh
spec:
  matchConstraints:
    resourceRules:
    - apiGroups: [""]
      apiVersions: [v1]
      operations: [CREATE]
      resources: [pods]
  validations:
  - expression: >-
      object.spec.containers.all(c, image.GetMetadata(c.image).config.created < '2030')
"#;

const RESOURCES: &str = r#"
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: default, labels: {team: a}}
spec:
  containers: [{name: c, image: "docker.io/redis:6"}]
---
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: default, labels: {team: z}}
spec:
  containers: [{name: c, image: "docker.io/redis:latest"}]
---
apiVersion: v1
kind: Pod
metadata: {name: stray, namespace: other, labels: {team: a}}
spec:
  containers: [{name: c, image: "docker.io/redis:6"}]
"#;

const CONTEXT: &str = r#"
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
metadata: {name: context}
spec:
  resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: teams, namespace: default}
    data: {teams: "a,b"}
  - apiVersion: v1
    kind: Service
    metadata: {name: good, namespace: default}
  - apiVersion: v1
    kind: Service
    metadata: {name: stray, namespace: elsewhere}
  images:
  - image: docker.io/redis:6
    config: {created: "2020-05-01T03:15:12Z"}
  - image: docker.io/redis:latest
    config: {created: "2099-05-01T03:15:12Z"}
"#;

/// The expected result of every (policy, pod) pair when the mocks are read.
const EXPECTED: &[(&str, &str, &str)] = &[
    ("team-allowed", "good", "pass"),
    ("team-allowed", "bad", "fail"),
    // No ConfigMap mocked in `other`: resource.Get is null (not an error), so it fails.
    ("team-allowed", "stray", "fail"),
    ("has-service", "good", "pass"),
    ("has-service", "bad", "fail"),
    // The Service named `stray` is in another namespace: the list is empty there.
    ("has-service", "stray", "fail"),
    ("image-fresh", "good", "pass"),
    ("image-fresh", "bad", "fail"),
    ("image-fresh", "stray", "pass"),
];

fn write_test(dir: &Path, context: Option<&str>, result_of: impl Fn(&str) -> String) {
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).expect("writes the test file");
    };
    write("policies.yaml", POLICIES);
    write("resources.yaml", RESOURCES);
    let mut test = String::from(
        "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: ctx}\n\
         policies: [policies.yaml]\nresources: [resources.yaml]\n",
    );
    if let Some(c) = context {
        write("context.yaml", c);
        test.push_str("context: context.yaml\n");
    }
    test.push_str("results:\n");
    for (policy, pod, result) in EXPECTED {
        let result = result_of(result);
        test.push_str(&format!(
            "- {{isValidatingPolicy: true, policy: {policy}, resources: [{pod}], kind: Pod, result: {result}}}\n"
        ));
    }
    write("kyverno-test.yaml", &test);
}

#[test]
fn context_file_mocks_resources_and_images() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_test(dir.path(), Some(CONTEXT), str::to_string);
    let report = run_test(&dir.path().join("kyverno-test.yaml")).expect("test runs");
    assert_eq!(report.expectations.len(), EXPECTED.len());
    for e in &report.expectations {
        assert!(
            e.pass,
            "{} {}: want {:?}, got {:?} ({})",
            e.policy, e.resource, e.expected, e.actual, e.message
        );
    }
}

#[test]
fn without_context_file_the_calls_are_offline_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_test(dir.path(), None, |_| "error".to_string());
    let report = run_test(&dir.path().join("kyverno-test.yaml")).expect("test runs");
    for e in &report.expectations {
        assert_eq!(e.actual, Some(Status::Error), "{} {}", e.policy, e.resource);
        assert!(
            e.message.contains("is not available offline"),
            "{}",
            e.message
        );
    }
}

#[test]
fn unmocked_resource_type_and_image_are_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No Services and no images mocked: resource.List of a type with no mock at all is an
    // error, as is image metadata for an image not in the file; resource.Get is still null.
    let context = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Context\nspec:\n  resources:\n  \
                   - {apiVersion: v1, kind: ConfigMap, metadata: {name: teams, namespace: default}, data: {teams: a}}\n";
    write_test(dir.path(), Some(context), str::to_string);
    let report = run_test(&dir.path().join("kyverno-test.yaml")).expect("test runs");
    let got = |policy: &str, pod: &str| {
        report
            .expectations
            .iter()
            .find(|e| e.policy == policy && e.resource.ends_with(pod))
            .map(|e| (e.actual, e.message.clone()))
            .expect("expectation present")
    };
    assert_eq!(got("team-allowed", "good").0, Some(Status::Pass));
    assert_eq!(got("team-allowed", "stray").0, Some(Status::Fail));
    let (status, message) = got("has-service", "good");
    assert_eq!(status, Some(Status::Error));
    assert!(message.contains("services resource not found"), "{message}");
    let (status, message) = got("image-fresh", "good");
    assert_eq!(status, Some(Status::Error));
    assert!(
        message.contains("image data for docker.io/redis:6 not found"),
        "{message}"
    );
}

#[test]
fn context_resource_without_kind_fails_the_test() {
    let dir = tempfile::tempdir().expect("tempdir");
    let context = "apiVersion: cli.kyverno.io/v1alpha1\nkind: Context\nspec:\n  resources:\n  \
                   - {apiVersion: v1, metadata: {name: x}}\n";
    write_test(dir.path(), Some(context), str::to_string);
    let err = run_test(&dir.path().join("kyverno-test.yaml")).expect_err("load error");
    assert!(
        err.to_string().contains("apiVersion and kind are required"),
        "{err}"
    );
}
