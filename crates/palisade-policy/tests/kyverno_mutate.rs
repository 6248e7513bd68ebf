//! Kyverno `mutate` rules: strategic merge with anchors, JSON6902, variables, preconditions,
//! foreach and autogen, on inline policies and resources.

use palisade_policy::kyverno::{Kyverno, Request, Status};
use serde_json::{json, Value};

fn yaml(text: &str) -> Value {
    serde_yaml::from_str(text).expect("test YAML")
}

fn set(policy: &str) -> Kyverno {
    let mut k = Kyverno::default();
    k.add("policy.yaml", &yaml(policy)).expect("policy loads");
    k
}

fn pod(containers: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "p", "namespace": "default", "labels": {"app": "web"}},
           "spec": {"containers": containers}})
}

const HEAD: &str = "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: m\nspec:\n  rules:\n  - name: r\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n";

#[test]
fn add_if_absent_and_conditional_anchors() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      patchStrategicMerge:\n        spec:\n          containers:\n          - (image): \"*:latest\"\n            imagePullPolicy: Always\n          +(dnsPolicy): Default\n"
    ));
    let p =
        pod(json!([{"name": "a", "image": "nginx:latest"}, {"name": "b", "image": "nginx:1.25"}]));
    let out = k.mutate(&p, &Request::default());
    assert_eq!(out.applied[0].status, Status::Pass);
    assert_eq!(
        out.patched["spec"]["containers"][0]["imagePullPolicy"],
        "Always"
    );
    assert!(out.patched["spec"]["containers"][1]
        .get("imagePullPolicy")
        .is_none());
    assert_eq!(out.patched["spec"]["dnsPolicy"], "Default");
    assert_eq!(
        out.patched["spec"]["containers"].as_array().map(Vec::len),
        Some(2)
    );

    // `+()` leaves an existing value alone; a failed condition patches nothing: skip.
    let mut p2 = pod(json!([{"name": "b", "image": "nginx:1.25"}]));
    p2["spec"]["dnsPolicy"] = json!("ClusterFirst");
    let out = k.mutate(&p2, &Request::default());
    assert_eq!(out.applied[0].status, Status::Skip);
    assert_eq!(out.patched, p2);
}

#[test]
fn containers_merge_by_name() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      patchStrategicMerge:\n        spec:\n          containers:\n          - name: b\n            resources:\n              limits:\n                memory: 1Gi\n          - name: sidecar\n            image: envoy\n"
    ));
    let p = pod(json!([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]));
    let out = k.mutate(&p, &Request::default());
    let names: Vec<&str> = out.patched["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["b", "sidecar", "a"]);
    assert_eq!(out.patched["spec"]["containers"][0]["image"], "y");
    assert_eq!(
        out.patched["spec"]["containers"][0]["resources"]["limits"]["memory"],
        "1Gi"
    );
}

#[test]
fn json6902_add_replace_remove_with_variables() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      patchesJson6902: |-\n        - op: add\n          path: /metadata/annotations/owner\n          value: \"{{{{ request.object.metadata.labels.app }}}}\"\n        - op: replace\n          path: /spec/containers/0/image\n          value: nginx:1.27\n        - op: remove\n          path: /metadata/labels/app\n        - op: add\n          path: /spec/containers/-1\n          value: {{name: last, image: busybox}}\n"
    ));
    let p = pod(json!([{"name": "a", "image": "nginx:latest"}]));
    let out = k.mutate(&p, &Request::default());
    assert_eq!(out.applied[0].status, Status::Pass, "{:?}", out.applied);
    assert_eq!(out.patched["metadata"]["annotations"]["owner"], "web");
    assert_eq!(out.patched["spec"]["containers"][0]["image"], "nginx:1.27");
    assert!(out.patched["metadata"]["labels"].get("app").is_none());
    assert_eq!(out.patched["spec"]["containers"][1]["name"], "last");
}

#[test]
fn failed_preconditions_skip_the_rule() {
    let k = set(&format!(
        "{HEAD}    preconditions:\n      all:\n      - key: \"{{{{ request.object.metadata.labels.app }}}}\"\n        operator: Equals\n        value: db\n    mutate:\n      patchStrategicMerge:\n        metadata:\n          labels:\n            tier: data\n"
    ));
    let p = pod(json!([{"name": "a", "image": "x"}]));
    let out = k.mutate(&p, &Request::default());
    assert_eq!(out.applied[0].status, Status::Skip);
    assert_eq!(out.patched, p);
}

#[test]
fn foreach_with_variables_in_keys() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      foreach:\n      - list: request.object.spec.containers\n        patchStrategicMerge:\n          metadata:\n            annotations:\n              apparmor/{{{{element.name}}}}: runtime/default\n"
    ));
    let p = pod(json!([{"name": "a", "image": "x"}, {"name": "b", "image": "y"}]));
    let out = k.mutate(&p, &Request::default());
    assert_eq!(out.applied[0].status, Status::Pass);
    assert_eq!(
        out.patched["metadata"]["annotations"]["apparmor/a"],
        "runtime/default"
    );
    assert_eq!(
        out.patched["metadata"]["annotations"]["apparmor/b"],
        "runtime/default"
    );
}

#[test]
fn autogen_patches_the_deployment_template() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      patchStrategicMerge:\n        spec:\n          containers:\n          - (name): \"*\"\n            imagePullPolicy: IfNotPresent\n"
    ));
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "d", "namespace": "default"},
        "spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}]}}}});
    let out = k.mutate(&d, &Request::default());
    assert_eq!(out.applied.len(), 1, "{:?}", out.applied);
    assert_eq!(out.applied[0].rule, "autogen-r");
    assert_eq!(out.applied[0].status, Status::Pass);
    assert_eq!(
        out.patched["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"],
        "IfNotPresent"
    );
}

#[test]
fn rules_chain_and_errors_are_reported() {
    let k = set(&format!(
        "{HEAD}    mutate:\n      patchStrategicMerge:\n        metadata:\n          labels:\n            a: \"1\"\n  - name: second\n    match:\n      any:\n      - resources:\n          kinds: [Pod]\n    mutate:\n      patchesJson6902: |-\n        - op: replace\n          path: /metadata/labels/missing/deep\n          value: x\n"
    ));
    let p = pod(json!([{"name": "a", "image": "x"}]));
    let out = k.mutate(&p, &Request::default());
    assert_eq!(out.applied[0].status, Status::Pass);
    assert_eq!(out.applied[1].status, Status::Error);
    assert_eq!(out.patched["metadata"]["labels"]["a"], "1");
}
