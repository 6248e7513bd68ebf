//! Kyverno's CEL: `validate.cel` in ClusterPolicy rules (with autogen for pod controllers)
//! and `ValidatingPolicy` (match constraints and conditions, variables, messages, autogen,
//! Kyverno libraries, functions that are not available offline).

use palisade_policy::kyverno::vpol::{Input, ValidatingPolicy, Verdict};
use palisade_policy::kyverno::{Kyverno, Request, Status};
use serde_json::{json, Value};

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("test YAML")
}

fn pod(name: &str, host_network: bool) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "team"},
           "spec": {"hostNetwork": host_network, "containers": [{"name": "c", "image": "nginx:1.25"}]}})
}

fn deployment(host_network: bool) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "team"},
           "spec": {"template": {"metadata": {"labels": {"app": "x"}},
                    "spec": {"hostNetwork": host_network, "containers": [{"name": "c", "image": "nginx"}]}}}})
}

fn cronjob(host_network: bool) -> Value {
    json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "cj", "namespace": "team"},
           "spec": {"schedule": "* * * * *", "jobTemplate": {"spec": {"template": {
               "metadata": {"labels": {"app": "x"}}, "spec": {"hostNetwork": host_network, "containers": [{"name": "c", "image": "nginx"}]}}}}}})
}

const CLUSTER_POLICY: &str = r#"
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: no-host-network}
spec:
  rules:
  - name: host-network
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: hostNetwork is not allowed
      cel:
        variables:
        - {name: hn, expression: "object.spec.?hostNetwork.orValue(false)"}
        expressions:
        - expression: "!variables.hn"
        - expression: "!(object.kind == 'Pod' && object.metadata.name == 'forbidden')"
          messageExpression: "'the name ' + object.metadata.name + ' is reserved'"
"#;

fn cluster_outcomes(resource: &Value) -> Vec<(String, Status, String)> {
    let mut k = Kyverno::default();
    k.add("policy.yaml", &yaml(CLUSTER_POLICY))
        .expect("policy loads");
    k.evaluate(resource, &Request::default())
        .into_iter()
        .map(|o| (o.rule, o.status, o.message))
        .collect()
}

#[test]
fn validate_cel_pass_fail_and_message() {
    let out = cluster_outcomes(&pod("p", false));
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].1, Status::Pass);
    let out = cluster_outcomes(&pod("p", true));
    assert_eq!(out[0].1, Status::Fail);
    assert_eq!(out[0].2, "hostNetwork is not allowed");
    let out = cluster_outcomes(&pod("forbidden", false));
    assert_eq!(out[0].1, Status::Fail);
    assert_eq!(out[0].2, "the name forbidden is reserved");
}

#[test]
fn validate_cel_autogen_for_deployment_and_cronjob() {
    // Autogen rewrites `object.spec` and `object.metadata` to the pod template's.
    let out = cluster_outcomes(&deployment(true));
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].0, "autogen-host-network");
    assert_eq!(out[0].1, Status::Fail);
    assert_eq!(cluster_outcomes(&deployment(false))[0].1, Status::Pass);
    let out = cluster_outcomes(&cronjob(true));
    assert_eq!(out[0].0, "autogen-cronjob-host-network");
    assert_eq!(out[0].1, Status::Fail);
    assert_eq!(cluster_outcomes(&cronjob(false))[0].1, Status::Pass);
}

#[test]
fn validate_cel_params_are_an_error() {
    let policy = CLUSTER_POLICY.replace(
        "      cel:\n",
        "      cel:\n        paramKind: {apiVersion: v1, kind: ConfigMap}\n        paramRef: {name: cm}\n",
    );
    let mut k = Kyverno::default();
    k.add("policy.yaml", &yaml(&policy)).expect("policy loads");
    let out = k.evaluate(&pod("p", false), &Request::default());
    assert_eq!(out[0].status, Status::Error);
    assert!(out[0].message.contains("not available offline"));
}

const VPOL: &str = r#"
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: no-host-network}
spec:
  validationActions: [Audit]
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  matchConditions:
  - {name: not-skipped, expression: "object.metadata.?labels[?'skip'].orValue('') != 'true'"}
  variables:
  - {name: hn, expression: "object.spec.?hostNetwork.orValue(false)"}
  - {name: sa, expression: "parseServiceAccount(request.userInfo.username)"}
  validations:
  - expression: "!variables.hn"
    messageExpression: "'hostNetwork is not allowed in a ' + object.kind"
  - expression: "variables.sa.Namespace != 'blocked'"
    message: blocked service account
"#;

fn vpol_verdicts(policy: &str, resource: &Value, user: &str) -> Vec<Verdict> {
    let p = ValidatingPolicy::parse(&yaml(policy)).expect("policy compiles");
    let user = json!({"username": user});
    p.evaluate(&Input {
        resource,
        operation: "CREATE",
        user_info: &user,
        namespace: None,
        mocks: None,
    })
}

#[test]
fn validating_policy_constraints_conditions_variables() {
    assert_eq!(
        vpol_verdicts(VPOL, &pod("p", false), "alice"),
        vec![Verdict::Pass]
    );
    assert_eq!(
        vpol_verdicts(VPOL, &pod("p", true), "alice"),
        vec![Verdict::Fail("hostNetwork is not allowed in a Pod".into())]
    );
    let mut skipped = pod("p", true);
    skipped["metadata"]["labels"] = json!({"skip": "true"});
    assert!(matches!(
        &vpol_verdicts(VPOL, &skipped, "alice")[..],
        [Verdict::Skip(_)]
    ));
    assert_eq!(
        vpol_verdicts(VPOL, &pod("p", false), "system:serviceaccount:blocked:sa"),
        vec![Verdict::Fail("blocked service account".into())]
    );
    // Not selected by matchConstraints: no verdict at all.
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}});
    assert!(vpol_verdicts(VPOL, &cm, "alice").is_empty());
}

#[test]
fn validating_policy_autogen_for_deployment_and_cronjob() {
    assert_eq!(
        vpol_verdicts(VPOL, &deployment(true), "alice"),
        vec![Verdict::Fail(
            "hostNetwork is not allowed in a Deployment".into()
        )]
    );
    assert_eq!(
        vpol_verdicts(VPOL, &deployment(false), "alice"),
        vec![Verdict::Pass]
    );
    assert!(matches!(
        &vpol_verdicts(VPOL, &cronjob(true), "alice")[..],
        [Verdict::Fail(_)]
    ));
    let only_deployments = VPOL.replace(
        "  validationActions: [Audit]\n",
        "  validationActions: [Audit]\n  autogen: {podControllers: {controllers: [deployments]}}\n",
    );
    assert!(vpol_verdicts(&only_deployments, &cronjob(true), "alice").is_empty());
}

#[test]
fn cluster_functions_are_errors_offline() {
    let policy = VPOL.replace(
        "  - expression: \"!variables.hn\"",
        "  - expression: \"resource.Get('v1', 'configmaps', 'default', 'x').data.a == 'b' && !variables.hn\"",
    );
    match &vpol_verdicts(&policy, &pod("p", false), "alice")[..] {
        [Verdict::Error(m)] => assert!(m.contains("resource.Get is not available offline"), "{m}"),
        other => panic!("{other:?}"),
    }
    let policy = VPOL.replace(
        "  - expression: \"!variables.hn\"",
        "  - expression: \"object.spec.containers.all(c, has(image.GetMetadata(c.image).config))\"",
    );
    match &vpol_verdicts(&policy, &pod("p", false), "alice")[..] {
        [Verdict::Error(m)] => assert!(m.contains("not available offline"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn image_references() {
    let policy = VPOL.replace(
        "  - expression: \"!variables.hn\"",
        "  - expression: \"object.spec.containers.all(c, isImage(c.image) && parseImageReference(c.image).registry() == 'index.docker.io' && parseImageReference(c.image).repository() == 'library/nginx' && image(c.image).tag() == '1.25')\"",
    );
    assert_eq!(
        vpol_verdicts(&policy, &pod("p", false), "alice"),
        vec![Verdict::Pass]
    );
}

#[test]
fn unknown_functions_do_not_compile() {
    let policy = VPOL.replace("!variables.hn", "noSuchFunction(object)");
    assert!(ValidatingPolicy::parse(&yaml(&policy)).is_err());
}
