//! The documented verdicts of the kubernetes-website ValidatingAdmissionPolicy examples,
//! with condensed policies written here, and the corpus files themselves when present.

use super::{create, docs, one, set};
use palisade_policy::vap::{ValidationAction, VapSet, VapStatus};
use serde_json::{json, Value};
use std::path::Path;

const DEPLOYMENTS: &str = r#"
  matchConstraints:
    resourceRules:
    - apiGroups: [apps]
      apiVersions: [v1]
      operations: [CREATE, UPDATE]
      resources: [deployments]"#;

fn deployment(ns: &str, replicas: i64) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": ns, "labels": {"app": "web"}},
           "spec": {"replicas": replicas, "template": {"spec": {"containers": [
               {"name": "c", "image": "example.com/app:1"}]}}}})
}

fn namespace(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})
}

#[test]
fn basic_example_denies_six_replicas_in_test_namespaces() {
    let s = set(&format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: demo-policy.example.com}}
spec:
  failurePolicy: Fail{DEPLOYMENTS}
  validations:
  - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: demo-binding-test.example.com}}
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {{matchLabels: {{environment: test}}}}
"#
    ));
    let test_ns = namespace("t", json!({"environment": "test"}));
    let d = deployment("t", 6);
    let o = one(s.evaluate(&create(&d, Some(&test_ns), &[])));
    assert_eq!(o.status, VapStatus::Fail);
    assert_eq!(o.binding.as_deref(), Some("demo-binding-test.example.com"));
    assert_eq!(o.messages, ["failed expression: object.spec.replicas <= 5"]);
    assert_eq!(o.reason.as_deref(), Some("Invalid"));
    assert_eq!(o.actions, [ValidationAction::Deny]);
    let d5 = deployment("t", 5);
    assert_eq!(
        one(s.evaluate(&create(&d5, Some(&test_ns), &[]))).status,
        VapStatus::Pass
    );
    let prod = namespace("p", json!({"environment": "prod"}));
    let dp = deployment("p", 6);
    assert!(
        s.evaluate(&create(&dp, Some(&prod), &[])).is_empty(),
        "binding does not select prod"
    );
}

fn replica_limit_policy() -> String {
    format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: replicalimit-policy.example.com}}
spec:
  failurePolicy: Fail
  paramKind: {{apiVersion: rules.example.com/v1, kind: ReplicaLimit}}{DEPLOYMENTS}
  validations:
  - expression: object.spec.replicas <= params.maxReplicas
    messageExpression: "'object.spec.replicas must be no greater than ' + string(params.maxReplicas)"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: replicalimit-binding-test.example.com}}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef: {{name: replica-limit-test.example.com, namespace: default, parameterNotFoundAction: Deny}}
  matchResources:
    namespaceSelector: {{matchLabels: {{environment: test}}}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: replicalimit-binding-nontest}}
spec:
  policyName: replicalimit-policy.example.com
  validationActions: [Deny]
  paramRef: {{name: replica-limit-prod.example.com, namespace: default}}
  matchResources:
    namespaceSelector:
      matchExpressions: [{{key: environment, operator: NotIn, values: [test]}}]
"#
    )
}

#[test]
fn params_replica_limit() {
    let s = set(&replica_limit_policy());
    // The upstream param misspells `namespace`: it lands in `default`, where paramRef looks.
    let limit = json!({"apiVersion": "rules.example.com/v1", "kind": "ReplicaLimit",
                       "metadata": {"name": "replica-limit-test.example.com", "namesapce": "default"},
                       "maxReplicas": 3});
    let params = [limit];
    let test_ns = namespace("t", json!({"environment": "test"}));
    let d4 = deployment("t", 4);
    let o = one(s.evaluate(&create(&d4, Some(&test_ns), &params)));
    assert_eq!(o.status, VapStatus::Fail);
    assert_eq!(
        o.messages,
        ["object.spec.replicas must be no greater than 3"]
    );
    let d3 = deployment("t", 3);
    assert_eq!(
        one(s.evaluate(&create(&d3, Some(&test_ns), &params))).status,
        VapStatus::Pass
    );
    // Deny when the param is missing: an error naming the binding's configuration.
    let o = one(s.evaluate(&create(&d3, Some(&test_ns), &[])));
    assert_eq!(o.status, VapStatus::Error);
    assert_eq!(
        o.messages,
        ["failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"]
    );
    // The non-test binding's param is absent and its action is Allow: nothing applies.
    let prod = namespace("p", json!({"environment": "prod"}));
    let dp = deployment("p", 500);
    assert!(s.evaluate(&create(&dp, Some(&prod), &params)).is_empty());
}

#[test]
fn typechecking_example_errors_at_runtime() {
    let s = set(&format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: deploy-replica-policy.example.com}}
spec:{DEPLOYMENTS}
  validations:
  - expression: object.replicas > 1
    message: must be replicated
    reason: Invalid
"#
    ));
    let d = deployment("default", 3);
    let o = one(s.evaluate_unbound(&create(&d, None, &[])));
    assert_eq!(o.status, VapStatus::Error, "{o:?}");
    assert_eq!(o.binding, None);
    assert_eq!(
        o.messages,
        ["expression 'object.replicas > 1' resulted in error: no such key: replicas"]
    );
}

#[test]
fn audit_annotations_and_message_expression() {
    let s = set(&format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: demo-policy.example.com}}
spec:
  failurePolicy: Fail{DEPLOYMENTS}
  validations:
  - expression: object.spec.replicas > 50
    messageExpression: "'Deployment spec.replicas set to ' + string(object.spec.replicas)"
  auditAnnotations:
  - key: high-replica-count
    valueExpression: "'Deployment spec.replicas set to ' + string(object.spec.replicas)"
  - key: never
    valueExpression: "null"
"#
    ));
    let d = deployment("default", 60);
    let o = one(s.evaluate_unbound(&create(&d, None, &[])));
    assert_eq!(o.status, VapStatus::Pass);
    assert_eq!(
        o.audit_annotations,
        [(
            "demo-policy.example.com/high-replica-count".to_string(),
            "Deployment spec.replicas set to 60".to_string()
        )]
    );
    let d = deployment("default", 10);
    let o = one(s.evaluate_unbound(&create(&d, None, &[])));
    assert_eq!(o.status, VapStatus::Fail);
    assert_eq!(o.messages, ["Deployment spec.replicas set to 10"]);
}

#[test]
fn variables_and_namespace_object() {
    let s = set(&format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1beta1
kind: ValidatingAdmissionPolicy
metadata: {{name: image-matches-namespace-environment.policy.example.com}}
spec:
  failurePolicy: Fail{DEPLOYMENTS}
  variables:
  - name: environment
    expression: "'environment' in namespaceObject.metadata.labels ? namespaceObject.metadata.labels['environment'] : 'prod'"
  - name: exempt
    expression: "'exempt' in object.metadata.labels && object.metadata.labels['exempt'] == 'true'"
  - name: containersToCheck
    expression: "object.spec.template.spec.containers.filter(c, c.image.contains('example.com'))"
  validations:
  - expression: "variables.exempt || variables.containersToCheck.all(c, c.image.startsWith(variables.environment + '.'))"
    messageExpression: "'only ' + variables.environment + ' images are allowed in namespace ' + namespaceObject.metadata.name"
"#
    ));
    let ns = namespace("ns1", json!({"environment": "staging"}));
    let d = deployment("ns1", 1);
    let o = one(s.evaluate_unbound(&create(&d, Some(&ns), &[])));
    assert_eq!(
        o.messages,
        ["only staging images are allowed in namespace ns1"]
    );
    let mut ok = d.clone();
    ok["spec"]["template"]["spec"]["containers"][0]["image"] = json!("staging.example.com/app");
    assert_eq!(
        one(s.evaluate_unbound(&create(&ok, Some(&ns), &[]))).status,
        VapStatus::Pass
    );
}

#[test]
fn unknown_function_is_a_load_error() {
    let mut s = VapSet::default();
    let policy = &docs(
        r#"
apiVersion: admissionregistration.k8s.io/v1alpha1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"]}]
  validations:
  - expression: "object.metadata.name.startWith('demo')"
"#,
    )[0];
    let e = s
        .add("p.yaml", policy)
        .expect_err("startWith does not exist")
        .to_string();
    assert!(
        e.contains("demo-policy.example.com") && e.contains("startWith"),
        "{e}"
    );
}

/// The corpus files themselves, when present.
#[test]
fn website_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/policy/vap/kubernetes-website");
    if !dir.is_dir() {
        println!("SKIPPED: {} is absent", dir.display());
        return;
    }
    let load = |rel: &str| -> Result<VapSet, String> {
        let docs = palisade_policy::read_documents(&dir.join(rel)).map_err(|e| e.to_string())?;
        let mut s = VapSet::default();
        for d in &docs {
            s.add(rel, d).map_err(|e| e.to_string())?;
        }
        Ok(s)
    };
    for ok in [
        "validatingadmissionpolicy/basic-example-policy.yaml",
        "validatingadmissionpolicy/basic-example-binding.yaml",
        "validatingadmissionpolicy/policy-with-param.yaml",
        "validatingadmissionpolicy/binding-with-param.yaml",
        "validatingadmissionpolicy/binding-with-param-prod.yaml",
        "validatingadmissionpolicy/typechecking.yaml",
        "validatingadmissionpolicy/typechecking-multiple-match.yaml",
        "access/validating-admission-policy-audit-annotation.yaml",
        "access/deployment-replicas-policy.yaml",
        "access/image-matches-namespace-environment.policy.yaml",
        "access/delegated-certificate-signing-request/installer-csr-delegation-validatingadmissionpolicy.yaml",
        "access/delegated-certificate-signing-request/installer-csr-validatingadmissionpolicy.yaml",
    ] {
        load(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
    let fragment = load("validatingadmissionpolicy/failure-policy-ignore.yaml");
    assert!(fragment.is_err(), "the docs fragment is not a policy");
    let e =
        load("access/validating-admission-policy-match-conditions.yaml").expect_err("startWith");
    assert!(e.contains("startWith"), "{e}");
}
