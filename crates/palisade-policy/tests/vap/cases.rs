//! Self-contained cases: matching, bindings, params, actions, failure policy, CEL features
//! and hostile input.

use super::{create, docs, one, set};
use palisade_policy::vap::{ValidationAction, VapRequest, VapSet, VapStatus};
use serde_json::{json, Value};

/// A policy on pods with `validations`/`extra` spec lines, and a binding with `binding` lines.
fn pods(name: &str, spec: &str, binding: &str) -> String {
    format!(
        r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {{name: {name}}}
spec:
  matchConstraints:
    resourceRules:
    - {{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE, DELETE], resources: [pods]}}
{spec}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {{name: {name}-binding}}
spec:
  policyName: {name}
{binding}
"#
    )
}

fn pod(name: &str, labels: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "app", "labels": labels},
           "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

fn status(s: &VapSet, req: &VapRequest<'_>) -> Vec<VapStatus> {
    s.evaluate(req).into_iter().map(|o| o.status).collect()
}

#[test]
fn binding_match_resources() {
    let s = set(&pods(
        "p",
        "  validations: [{expression: \"object.metadata.name != 'bad'\"}]",
        r#"  validationActions: [Deny]
  matchResources:
    objectSelector: {matchLabels: {app: web}}
    excludeResourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: ["*"], resources: [pods], resourceNames: [skip-me]}"#,
    ));
    let bad = pod("bad", json!({"app": "web"}));
    assert_eq!(status(&s, &create(&bad, None, &[])), [VapStatus::Fail]);
    let other = pod("bad", json!({"app": "db"}));
    assert!(
        s.evaluate(&create(&other, None, &[])).is_empty(),
        "objectSelector"
    );
    let skipped = pod("skip-me", json!({"app": "web"}));
    assert!(
        s.evaluate(&create(&skipped, None, &[])).is_empty(),
        "excluded by name"
    );
    let deploy =
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "bad"}});
    assert!(
        s.evaluate(&create(&deploy, None, &[])).is_empty(),
        "not a pod"
    );
    // A policy nobody binds does nothing in evaluate(), and is judged by evaluate_unbound().
    let unbound = set(&pods(
        "q",
        "  validations: [{expression: 'false'}]",
        "  validationActions: [Deny]",
    )
    .replace("policyName: q", "policyName: elsewhere"));
    assert!(unbound.evaluate(&create(&bad, None, &[])).is_empty());
    let o = one(unbound.evaluate_unbound(&create(&bad, None, &[])));
    assert_eq!(
        (o.status, o.actions),
        (VapStatus::Fail, vec![ValidationAction::Deny])
    );
}

#[test]
fn namespace_selector_on_namespaces_uses_their_own_labels() {
    let s = set(r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: ns}
spec:
  matchConstraints:
    namespaceSelector: {matchLabels: {team: a}}
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [namespaces], scope: Cluster}]
  validations: [{expression: "request.namespace == object.metadata.name && namespaceObject == null"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: ns-b}
spec: {policyName: ns, validationActions: [Warn]}
"#);
    let a = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x", "labels": {"team": "a"}}});
    let o = one(s.evaluate(&create(&a, None, &[])));
    assert_eq!(
        (o.status, o.actions),
        (VapStatus::Pass, vec![ValidationAction::Warn])
    );
    let b = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "y", "labels": {"team": "b"}}});
    assert!(s.evaluate(&create(&b, None, &[])).is_empty());
}

#[test]
fn param_selector_evaluates_once_per_param() {
    let s = set(&pods(
        "limits",
        "  paramKind: {apiVersion: v1, kind: ConfigMap}\n  validations: [{expression: \"object.metadata.name != params.data.banned\", messageExpression: \"'banned by ' + params.metadata.name\"}]",
        "  validationActions: [Deny]\n  paramRef: {selector: {matchLabels: {kind: ban}}}",
    ));
    let cm = |n: &str, banned: &str, ns: &str| {
        json!({"apiVersion": "v1", "kind": "ConfigMap",
               "metadata": {"name": n, "namespace": ns, "labels": {"kind": "ban"}}, "data": {"banned": banned}})
    };
    let objects = [
        cm("one", "a", "app"),
        cm("two", "b", "app"),
        cm("three", "a", "other"),
    ];
    let a = pod("a", json!({}));
    let outcomes = s.evaluate(&create(&a, None, &objects));
    let got: Vec<_> = outcomes
        .iter()
        .map(|o| (o.status.clone(), o.messages.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (VapStatus::Fail, vec!["banned by one".to_string()]),
            (VapStatus::Pass, vec![])
        ]
    );
    // No param found and no parameterNotFoundAction (Allow): nothing applies.
    assert!(s.evaluate(&create(&a, None, &[])).is_empty());
}

#[test]
fn failure_policy_and_match_conditions() {
    let spec = |fp: &str| {
        format!(
            "  failurePolicy: {fp}\n  matchConditions:\n  - {{name: labelled, expression: \"object.metadata.labels['color'] == 'red'\"}}\n  validations:\n  - {{expression: 'object.spec.nothing > 1'}}\n  - {{expression: 'false', reason: Forbidden}}"
        )
    };
    let fail = set(&pods("f", &spec("Fail"), "  validationActions: [Deny]"));
    let ignore = set(&pods("i", &spec("Ignore"), "  validationActions: [Deny]"));
    let red = pod("p", json!({"color": "red"}));
    let o = one(fail.evaluate(&create(&red, None, &[])));
    assert_eq!(o.status, VapStatus::Error);
    assert_eq!(
        o.messages,
        [
            "expression 'object.spec.nothing > 1' resulted in error: no such key: nothing",
            "failed expression: false"
        ]
    );
    assert_eq!(o.reason.as_deref(), Some("Forbidden"));
    // Ignore drops the error; the other validation still fails.
    let o = one(ignore.evaluate(&create(&red, None, &[])));
    assert_eq!(
        (o.status, o.messages),
        (
            VapStatus::Fail,
            vec!["failed expression: false".to_string()]
        )
    );
    // A false match condition: nothing applies.
    let blue = pod("p", json!({"color": "blue"}));
    assert!(fail.evaluate(&create(&blue, None, &[])).is_empty());
    // A match condition that errs (no labels at all) follows the failure policy.
    let bare = pod("p", Value::Null);
    assert_eq!(status(&fail, &create(&bare, None, &[])), [VapStatus::Error]);
    assert!(ignore.evaluate(&create(&bare, None, &[])).is_empty());
}

#[test]
fn audit_and_warn_actions() {
    let s = set(&pods(
        "a",
        "  validations: [{expression: 'false', message: nope}]",
        "  validationActions: [Warn, Audit]",
    ));
    let p = pod("p", json!({}));
    let o = one(s.evaluate(&create(&p, None, &[])));
    assert_eq!(o.actions, [ValidationAction::Warn, ValidationAction::Audit]);
    assert_eq!(
        o.audit_annotations,
        [(
            "validation.policy.admission.k8s.io/validation_failure".to_string(),
            r#"[{"message":"nope","policy":"a","binding":"a-binding","expressionIndex":0,"validationActions":["Warn","Audit"]}]"#.to_string()
        )]
    );
}

#[test]
fn authorizer_is_not_available_offline() {
    let s = set(&pods(
        "z",
        "  validations:\n  - expression: \"object.metadata.name == 'ok' || authorizer.group('').resource('pods').check('delete').allowed()\"",
        "  validationActions: [Deny]",
    ));
    let ok = pod("ok", json!({}));
    assert_eq!(
        status(&s, &create(&ok, None, &[])),
        [VapStatus::Pass],
        "short-circuit never asks"
    );
    let other = pod("other", json!({}));
    let o = one(s.evaluate(&create(&other, None, &[])));
    assert_eq!(o.status, VapStatus::Error);
    assert!(
        o.messages[0].contains("authorizer is not available offline"),
        "{o:?}"
    );
}

/// Each expression, as a single validation on a pod named `p` with label `a: b`, by status.
fn judge(expr: &str) -> (VapStatus, Vec<String>) {
    let yaml = pods(
        "c",
        &format!(
            "  validations:\n  - expression: {}",
            serde_json::to_string(expr).unwrap_or_default()
        ),
        "  validationActions: [Deny]",
    );
    let mut s = VapSet::default();
    for d in docs(&yaml) {
        if let Err(e) = s.add("c.yaml", &d) {
            return (VapStatus::Error, vec![format!("load: {e}")]);
        }
    }
    let p = pod("p", json!({"a": "b"}));
    let o = one(s.evaluate(&create(&p, None, &[])));
    (o.status, o.messages)
}

#[test]
fn cel_features() {
    for ok in [
        "object.?spec.?nothing.orValue(3) == 3",
        "object.?metadata.?labels[?'a'].orValue('') == 'b'",
        "cel.bind(n, object.metadata.name, n + n) == 'pp'",
        "cel.bind(x, 2, cel.bind(y, x * 3, y + x)) == 8",
        "[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]",
        "object.spec.containers.all(c, c.image == 'nginx')",
        "dyn(object.metadata.name) == 'p'",
        "request.operation == 'CREATE' && request.kind.kind == 'Pod' && request.resource.resource == 'pods' && request.namespace == 'app'",
        "oldObject == null && !has(request.userInfo.username)",
        "quantity('1Gi').isGreaterThan(quantity('512Mi'))",
        "'a,b'.split(',').size() == 2",
    ] {
        assert_eq!(judge(ok).0, VapStatus::Pass, "{ok}: {:?}", judge(ok).1);
    }
    for (unsupported, why) in [
        ("[3, 1].sortBy(x, x) == [1, 3]", "'sortBy' is not supported"),
        (
            "{'a': 1}.all(k, v, v > 0)",
            "two-variable comprehension all",
        ),
        ("type(1) == int", "'type' is not supported"),
    ] {
        let (st, msg) = judge(unsupported);
        assert_eq!(st, VapStatus::Error, "{unsupported}");
        assert!(msg[0].contains(why), "{unsupported}: {msg:?}");
    }
    for refused in [
        "object.metadata.name.startWith('p')",
        "google.protobuf.Int64Value{value: 1} == 1",
        "variables.nope",
    ] {
        let (st, msg) = judge(refused);
        assert!(
            st == VapStatus::Error && msg[0].starts_with("load:"),
            "{refused}: {msg:?}"
        );
    }
}

#[test]
fn update_and_delete_see_old_object() {
    let s = set(&pods(
        "u",
        "  validations:\n  - expression: \"request.operation != 'UPDATE' || object.metadata.labels.v > oldObject.metadata.labels.v\"\n  - expression: \"request.operation != 'DELETE' || (object == null && oldObject.metadata.name == 'p')\"",
        "  validationActions: [Deny]",
    ));
    let (old, new) = (pod("p", json!({"v": "1"})), pod("p", json!({"v": "2"})));
    let req = |op, object, old_object| VapRequest {
        operation: op,
        object,
        old_object,
        namespace_object: None,
        user_info: Some(&Value::Null),
        dry_run: true,
        sub_resource: None,
        objects: &[],
    };
    assert_eq!(
        status(&s, &req("UPDATE", Some(&new), Some(&old))),
        [VapStatus::Pass]
    );
    assert_eq!(
        status(&s, &req("UPDATE", Some(&old), Some(&new))),
        [VapStatus::Fail]
    );
    assert_eq!(
        status(&s, &req("DELETE", None, Some(&old))),
        [VapStatus::Pass]
    );
}

#[test]
fn hostile_expressions_are_refused_not_crashed() {
    let nested = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let long = format!("'{}' == ''", "a".repeat(70 * 1024));
    let chain = vec!["1"; 3000].join(" + ") + " > 0";
    let nots = format!("{}true", "!".repeat(3000));
    for e in [nested, long, chain, nots] {
        let (st, msg) = judge(&e);
        assert_eq!(st, VapStatus::Error, "{msg:?}");
    }
    // Garbage documents are errors, never panics.
    let mut s = VapSet::default();
    for d in [
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy"}),
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicy", "metadata": {"name": "x"}, "spec": {"validations": 3}}),
        json!({"apiVersion": "admissionregistration.k8s.io/v1", "kind": "ValidatingAdmissionPolicyBinding", "metadata": {"name": "x"}, "spec": {}}),
        json!({"apiVersion": "v1", "kind": "ConfigMap"}),
        json!(null),
    ] {
        assert!(s.add("x.yaml", &d).is_err(), "{d}");
    }
    assert!(s.is_empty());
}

#[test]
fn set_is_send_and_sync() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug + Default>() {}
    check::<VapSet>();
}
