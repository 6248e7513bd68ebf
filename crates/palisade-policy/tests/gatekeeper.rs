//! Gatekeeper's framework on fixtures written here: templates, constraints, matching,
//! referential data, expansion, and gator suites with every assertion form.

use palisade_policy::gatekeeper::{points, Action, Engine};
use palisade_policy::suite::{find_suites, run_suite};
use palisade_policy::{Inventory, Limits, Options, PolicySet, Review};
use serde_json::json;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const LABELS_TEMPLATE: &str = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: needlabels
  annotations:
    metadata.gatekeeper.sh/title: "Required labels"
spec:
  crd:
    spec:
      names:
        kind: NeedLabels
      validation:
        openAPIV3Schema:
          type: object
          properties:
            labels:
              type: array
              items:
                type: string
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package needlabels
        import data.lib.helpers.is_update

        violation[{"msg": msg, "details": {"missing": missing}}] {
          not is_update(input.review)
          provided := {l | input.review.object.metadata.labels[l]}
          required := {l | l := input.parameters.labels[_]}
          missing := required - provided
          count(missing) > 0
          msg := sprintf("missing labels: %v", [missing])
        }
      libs:
        - |
          package lib.helpers
          is_update(review) {
            review.operation == "UPDATE"
          }
"#;

fn labels_constraint(extra_match: &str) -> String {
    format!(
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NeedLabels\nmetadata:\n  name: owner\nspec:\n  match:\n    kinds:\n      - apiGroups: [\"\"]\n        kinds: [\"Pod\"]\n{extra_match}  parameters:\n    labels: [\"owner\"]\n"
    )
}

fn pod(ns: &str, labels: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: {ns}\n  labels: {{{labels}}}\nspec:\n  containers: [{{name: c, image: nginx}}]\n")
}

#[test]
fn suite_assertions_in_every_form() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "template.yaml", LABELS_TEMPLATE);
    write(d, "constraint.yaml", &labels_constraint(""));
    write(
        d,
        "bad-constraint.yaml",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NeedLabels\nmetadata: {name: bad}\nspec:\n  parameters:\n    labels: owner\n",
    );
    write(d, "allowed.yaml", &pod("default", "owner: me"));
    write(d, "disallowed.yaml", &pod("default", "app: x"));
    write(
        d,
        "update.yaml",
        r#"kind: AdmissionReview
apiVersion: admission.k8s.io/v1beta1
request:
  operation: UPDATE
  kind: {group: "", version: v1, kind: Pod}
  name: p
  namespace: default
  object: {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: default}}
"#,
    );
    write(
        d,
        "suite.yaml",
        r#"kind: Suite
apiVersion: test.gatekeeper.sh/v1alpha1
metadata: {name: needlabels}
tests:
- name: owner
  template: template.yaml
  constraint: constraint.yaml
  cases:
  - name: allowed
    object: allowed.yaml
    assertions:
    - violations: no
  - name: disallowed
    object: disallowed.yaml
    assertions:
    - violations: yes
    - violations: 1
      message: "missing labels"
    - violations: 0
      message: "^nothing like this"
  - name: update-is-exempt
    object: update.yaml
    assertions:
    - violations: no
  - name: wrong-expectation
    object: allowed.yaml
    assertions:
    - violations: 2
- name: schema-rejects
  template: template.yaml
  constraint: bad-constraint.yaml
  invalid: true
- name: skipped
  skip: true
  template: template.yaml
  constraint: constraint.yaml
"#,
    );
    let suites = find_suites(&[d]).unwrap();
    assert_eq!(suites.len(), 1);
    let results = run_suite(&suites[0], Limits::default(), Engine::Rego).unwrap();
    assert_eq!(results.len(), 3);
    let owner = &results[0];
    let verdicts: Vec<(String, String, bool)> = owner
        .assertions
        .iter()
        .map(|a| (a.case.clone(), a.expected.clone(), a.pass))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("allowed".into(), "no".into(), true),
            ("disallowed".into(), "yes".into(), true),
            ("disallowed".into(), "1".into(), true),
            ("disallowed".into(), "0".into(), true),
            ("update-is-exempt".into(), "no".into(), true),
            ("wrong-expectation".into(), "2".into(), false),
        ]
    );
    assert_eq!(owner.assertions[5].actual, Some(0));
    assert!(results[1].assertions[0].pass, "{:?}", results[1]);
    assert!(results[2].skipped);
}

#[test]
fn matching_namespaces_selectors_and_actions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "template.yaml", LABELS_TEMPLATE);
    write(
        d,
        "constraint.yaml",
        &labels_constraint(
            "    excludedNamespaces: [\"kube-*\"]\n    namespaceSelector:\n      matchLabels: {env: prod}\n",
        )
        .replace("spec:\n  match:", "spec:\n  enforcementAction: warn\n  match:"),
    );
    let set = PolicySet::load(&[d], Options::default()).unwrap();
    let gk = set.gatekeeper();
    let mut inventory = Inventory::default();
    inventory.add(&json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"env": "prod"}}}));
    inventory.add(&json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "lab", "labels": {"env": "dev"}}}));
    inventory.add(&json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kube-x", "labels": {"env": "prod"}}}));
    let bound = gk.bind(&inventory).unwrap();
    let review = |ns: &str| {
        let doc = palisade_policy::documents("p.yaml", &pod(ns, "app: x")).unwrap();
        Review::from_document(&doc[0].1).unwrap()
    };
    let shop = bound.review(&review("shop"), points::GATOR).unwrap();
    assert_eq!(shop.len(), 1);
    assert_eq!(shop[0].action, Action::Warn);
    assert_eq!(shop[0].details, json!({"missing": ["owner"]}));
    assert!(bound
        .review(&review("lab"), points::GATOR)
        .unwrap()
        .is_empty());
    assert!(bound
        .review(&review("kube-x"), points::GATOR)
        .unwrap()
        .is_empty());
    // A namespace Palisade knows nothing of cannot satisfy a namespaceSelector.
    assert!(bound
        .review(&review("elsewhere"), points::GATOR)
        .unwrap()
        .is_empty());
}

/// A referential template: an Ingress host already used by another Ingress of the inventory.
#[test]
fn referential_template_reads_the_inventory() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "template.yaml",
        r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: hostonce}
spec:
  crd: {spec: {names: {kind: HostOnce}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    rego: |
      package hostonce
      violation[{"msg": msg}] {
        host := input.review.object.spec.rules[_].host
        other := data.inventory.namespace[ns][_]["Ingress"][name]
        not same(other, input.review)
        other.spec.rules[_].host == host
        msg := sprintf("host %v is already used by %v/%v", [host, ns, name])
      }
      same(other, review) {
        other.metadata.namespace == review.object.metadata.namespace
        other.metadata.name == review.object.metadata.name
      }
"#,
    );
    write(
        d,
        "constraint.yaml",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: HostOnce\nmetadata: {name: once}\nspec:\n  match:\n    kinds: [{apiGroups: [networking.k8s.io], kinds: [Ingress]}]\n",
    );
    let set = PolicySet::load(&[d], Options::default()).unwrap();
    let ingress = |ns: &str, name: &str, host: &str| {
        json!({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
               "metadata": {"name": name, "namespace": ns},
               "spec": {"rules": [{"host": host}]}})
    };
    let mut inventory = Inventory::default();
    inventory.add(&ingress("a", "first", "shop.example.com"));
    let bound = set.gatekeeper().bind(&inventory).unwrap();
    let dup = bound
        .review(
            &Review::from_object(ingress("b", "second", "shop.example.com")),
            points::GATOR,
        )
        .unwrap();
    assert_eq!(dup.len(), 1);
    assert_eq!(
        dup[0].msg,
        "host shop.example.com is already used by a/first"
    );
    let own = bound
        .review(
            &Review::from_object(ingress("a", "first", "shop.example.com")),
            points::GATOR,
        )
        .unwrap();
    assert!(own.is_empty());
}

#[test]
fn expansion_reviews_the_pod_a_deployment_implies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "template.yaml", LABELS_TEMPLATE);
    write(d, "constraint.yaml", &labels_constraint(""));
    write(
        d,
        "expansion.yaml",
        "apiVersion: expansion.gatekeeper.sh/v1alpha1\nkind: ExpansionTemplate\nmetadata: {name: expand-deployments}\nspec:\n  applyTo: [{groups: [apps], kinds: [Deployment], versions: [v1]}]\n  templateSource: spec.template\n  generatedGVK: {kind: Pod, group: \"\", version: v1}\n",
    );
    let set = PolicySet::load(&[d], Options::default()).unwrap();
    let inventory = Inventory::default();
    let bound = set.gatekeeper().bind(&inventory).unwrap();
    let deployment = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}});
    let vs = bound
        .review(&Review::from_object(deployment), points::GATOR)
        .unwrap();
    assert_eq!(vs.len(), 1, "{vs:?}");
    assert!(vs[0]
        .msg
        .starts_with("[Implied by expand-deployments] missing labels"));
}

/// AdmissionReviews gator refuses are refused, each with its reason; good ones review.
#[test]
fn admission_reviews_are_checked_like_gator() {
    let refused = [
        (
            json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1"}),
            "no request",
        ),
        (
            json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1", "request": null, "extra": 1}),
            "unknown field",
        ),
        (
            json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1beta1",
                   "request": {"operation": "CREATE", "userInfo": {"username": "u"}}}),
            "neither object nor oldObject",
        ),
        (
            json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
                   "request": {"operation": "DELETE", "object": null}}),
            "DELETE needs oldObject",
        ),
        (
            json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
                   "request": {"operation": "CREATE", "object": {"metadata": {"name": "x"}}}}),
            "object has no kind",
        ),
    ];
    for (doc, why) in refused {
        let err = Review::from_document(&doc).unwrap_err();
        assert!(err.to_string().contains(why), "{err} for {doc}");
    }
    let delete = Review::from_document(&json!({"kind": "AdmissionReview", "apiVersion": "admission.k8s.io/v1",
        "request": {"operation": "DELETE", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                    "namespace": "ns", "oldObject": {"kind": "Pod", "metadata": {"name": "gone"}}}}))
    .unwrap();
    assert_eq!(
        (delete.name.as_str(), delete.namespace.as_str()),
        ("gone", "ns")
    );
    assert_eq!(delete.object()["metadata"]["name"], "gone");
}

/// A template carrying both codes runs its Rego by default and its CEL when asked, with
/// `variables.params` and `variables.anyObject` as Gatekeeper injects them.
#[test]
fn templates_with_cel_run_either_engine() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "template.yaml",
        r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: maxreplicas}
spec:
  crd:
    spec:
      names: {kind: MaxReplicas}
      validation: {openAPIV3Schema: {type: object, properties: {max: {type: integer}}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: K8sNativeValidation
      source:
        variables:
        - name: replicas
          expression: 'has(variables.anyObject.spec.replicas) ? variables.anyObject.spec.replicas : 1'
        validations:
        - expression: 'variables.replicas <= variables.params.max'
          messageExpression: '"cel: " + string(variables.replicas) + " replicas"'
    - engine: Rego
      source:
        rego: |
          package maxreplicas
          violation[{"msg": msg}] {
            input.review.object.spec.replicas > input.parameters.max
            msg := sprintf("rego: %v replicas", [input.review.object.spec.replicas])
          }
"#,
    );
    write(
        d,
        "constraint.yaml",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: MaxReplicas\nmetadata: {name: three}\nspec:\n  parameters: {max: 3}\n",
    );
    let mut set = PolicySet::load(&[d], Options::default()).unwrap();
    let deployment = |n: u32| {
        Review::from_object(json!({"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"}, "spec": {"replicas": n}}))
    };
    let msgs = |set: &PolicySet, n: u32| -> Vec<String> {
        let inventory = Inventory::default();
        let bound = set.gatekeeper().bind(&inventory).unwrap();
        bound
            .review(&deployment(n), points::GATOR)
            .unwrap()
            .into_iter()
            .map(|v| v.msg)
            .collect()
    };
    assert_eq!(msgs(&set, 5), ["rego: 5 replicas"]);
    assert!(msgs(&set, 2).is_empty());
    set.set_gatekeeper_engine(Engine::Cel);
    assert_eq!(msgs(&set, 5), ["cel: 5 replicas"]);
    assert!(msgs(&set, 2).is_empty());
}

/// A template with CEL only (Gatekeeper 3.17+ allows it) runs its CEL whatever the engine.
#[test]
fn cel_only_templates_run_their_cel() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "template.yaml",
        r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: {name: nolatest}
spec:
  crd: {spec: {names: {kind: NoLatest}}}
  targets:
  - target: admission.k8s.gatekeeper.sh
    code:
    - engine: K8sNativeValidation
      source:
        validations:
        - expression: 'variables.anyObject.spec.containers.all(c, !c.image.endsWith(":latest"))'
          message: "an image uses :latest"
"#,
    );
    write(
        d,
        "constraint.yaml",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NoLatest\nmetadata: {name: no-latest}\n",
    );
    let set = PolicySet::load(&[d], Options::default()).unwrap();
    let inventory = Inventory::default();
    let bound = set.gatekeeper().bind(&inventory).unwrap();
    let pod = |image: &str| {
        Review::from_object(
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": image}]}}),
        )
    };
    let v = bound.review(&pod("nginx:latest"), points::GATOR).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].msg, "an image uses :latest");
    assert!(bound
        .review(&pod("nginx:1.27"), points::GATOR)
        .unwrap()
        .is_empty());
}

/// A constraint without `spec.parameters` gets `{}` as its parameters, as Gatekeeper's driver
/// defaults them, so a template's `object.get(input.parameters, …)` falls back to its default
/// instead of failing (which would hide the violation), on the VM and the interpreter alike.
#[test]
fn a_constraint_without_parameters_gets_an_empty_object() {
    let template = r#"apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata:
  name: noprivileged
spec:
  crd:
    spec:
      names:
        kind: NoPrivileged
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package noprivileged
        violation[{"msg": msg}] {
          exempt := object.get(input.parameters, "exemptImages", [])
          c := input.review.object.spec.containers[_]
          not listed(c.image, exempt)
          c.securityContext.privileged
          msg := sprintf("%v is privileged (parameters: %v)", [c.name, input.parameters])
        }
        listed(image, images) {
          images[_] == image
        }
"#;
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: default}\nspec:\n  containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n";
    let doc = palisade_policy::documents("p.yaml", pod).unwrap();
    let review = Review::from_document(&doc[0].1).unwrap();
    for (name, params) in [("absent", ""), ("null", "  parameters: null\n")] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "template.yaml", template);
        write(
            d,
            "constraint.yaml",
            &format!("apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NoPrivileged\nmetadata:\n  name: np\nspec:\n  match:\n    kinds:\n      - apiGroups: [\"\"]\n        kinds: [\"Pod\"]\n{params}"),
        );
        let set = PolicySet::load(&[d], Options::default()).unwrap();
        let inventory = Inventory::default();
        let gk = set.gatekeeper();
        for bound in [
            gk.bind(&inventory).unwrap(),
            gk.bind_interpreted(&inventory).unwrap(),
        ] {
            let v = bound.review(&review, points::GATOR).unwrap();
            let msgs: Vec<&str> = v.iter().map(|v| v.msg.as_str()).collect();
            assert_eq!(
                msgs,
                ["c is privileged (parameters: {})"],
                "parameters {name}"
            );
        }
    }
}
