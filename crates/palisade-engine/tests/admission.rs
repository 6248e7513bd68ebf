//! The admission pipeline on reviews written here: Pod Security per namespace, envelopes,
//! mutation, failure modes. Policies and images: `admission_policies.rs`; the shared corpus of
//! real reviews: `admission_corpus.rs`.

use palisade_engine::admission::{Config, Controller, MutateDefaults, ReviewKind, Reviewed};
use serde_json::{json, Value};

fn pod(name: &str, container: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": name, "namespace": "apps"},
           "spec": {"containers": [container]}})
}

fn review_of(object: Value, extra: Value) -> Vec<u8> {
    let kind = object["kind"].as_str().unwrap_or("").to_string();
    let group = if kind == "Pod" { "" } else { "apps" };
    let mut request = json!({
        "uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
        "kind": {"group": group, "version": "v1", "kind": kind},
        "resource": {"group": group, "version": "v1", "resource": format!("{}s", kind.to_lowercase())},
        "namespace": "apps", "operation": "CREATE",
        "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
        "object": object,
    });
    if let (Some(r), Some(e)) = (request.as_object_mut(), extra.as_object()) {
        r.extend(e.clone());
    }
    serde_json::to_vec(
        &json!({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                               "request": request}),
    )
    .expect("serialisable")
}

fn validate(c: &Controller, body: &[u8]) -> Reviewed {
    c.review(ReviewKind::Validate, body).expect("a review")
}

fn privileged() -> Value {
    json!({"name": "c", "image": "nginx", "securityContext": {"privileged": true}})
}

fn plain() -> Value {
    json!({"name": "c", "image": "nginx"})
}

fn restricted_ok() -> Value {
    json!({"name": "c", "image": "nginx", "securityContext": {
        "allowPrivilegeEscalation": false, "runAsNonRoot": true,
        "capabilities": {"drop": ["ALL"]}, "seccompProfile": {"type": "RuntimeDefault"}}})
}

fn deployment(container: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "web", "namespace": "apps"},
           "spec": {"template": {"metadata": {}, "spec": {"containers": [container]}}}})
}

#[test]
fn privileged_pod_is_denied_under_baseline() {
    let r = validate(
        &Controller::default_policy(),
        &review_of(pod("x", privileged()), json!({})),
    );
    assert!(!r.allowed);
    assert_eq!(r.reason, "pod-security");
    let resp = &r.response["response"];
    assert_eq!(resp["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
    assert_eq!(resp["status"]["code"], 403);
    let msg = resp["status"]["message"].as_str().unwrap_or("");
    assert!(
        msg.starts_with(r#"pods "x" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)"#),
        "{msg}"
    );
}

#[test]
fn baseline_pod_is_admitted_with_restricted_warnings() {
    let r = validate(
        &Controller::default_policy(),
        &review_of(pod("x", plain()), json!({})),
    );
    assert!(r.allowed, "{}", r.response);
    assert_eq!(r.reason, "allowed");
    let warnings = r.response["response"]["warnings"].to_string();
    assert!(
        warnings.contains(
            r#"would violate PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"#
        ),
        "{warnings}"
    );
    let ok = validate(
        &Controller::default_policy(),
        &review_of(pod("x", restricted_ok()), json!({})),
    );
    assert!(
        ok.response["response"].get("warnings").is_none(),
        "{}",
        ok.response
    );
}

#[test]
fn controllers_get_warnings_not_denials() {
    let body = review_of(deployment(privileged()), json!({}));
    let r = validate(&Controller::default_policy(), &body);
    assert!(
        r.allowed,
        "PSA does not enforce on controllers: {}",
        r.response
    );
    let w = r.response["response"]["warnings"][0].as_str().unwrap_or("");
    assert!(
        w.starts_with(r#"Deployment "web": would violate PodSecurity "restricted:latest""#),
        "{w}"
    );
    assert!(w.contains("privileged"), "{w}");
}

#[test]
fn namespace_labels_come_from_the_namespace_object() {
    let ns = json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps", "labels": {
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.30",
        "pod-security.kubernetes.io/audit": "restricted"}}});
    let body = review_of(pod("x", plain()), json!({"namespaceObject": ns}));
    let r = validate(&Controller::default_policy(), &body);
    assert!(!r.allowed);
    let msg = r.response["response"]["status"]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        msg.contains(r#"violates PodSecurity "restricted:v1.30""#),
        "{msg}"
    );
    // Audit is at restricted:latest, not the enforced restricted:v1.30: both are reported.
    let audit = &r.response["response"]["auditAnnotations"];
    assert!(audit["pod-security.kubernetes.io/audit-violations"]
        .as_str()
        .is_some_and(|a| a.contains("restricted:latest")));
    let privileged_ns = json!({"metadata": {"name": "apps", "labels": {
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "baseline"}}});
    let body = review_of(
        pod("x", privileged()),
        json!({"namespaceObject": privileged_ns}),
    );
    let r = validate(&Controller::default_policy(), &body);
    assert!(r.allowed);
    let audit =
        &r.response["response"]["auditAnnotations"]["pod-security.kubernetes.io/audit-violations"];
    assert!(audit
        .as_str()
        .unwrap_or("")
        .starts_with(r#"would violate PodSecurity "baseline:latest""#));
}

#[test]
fn namespace_labels_from_the_inventory_and_exemptions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inv = dir.path().join("namespaces.yaml");
    std::fs::write(&inv, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n  labels:\n    pod-security.kubernetes.io/enforce: restricted\n").expect("write");
    let mut config: Config = serde_json::from_value(json!({
        "inventory": [inv],
        "podSecurity": {"defaults": {"enforce": "baseline"},
                        "exemptions": {"usernames": ["ci-bot"], "runtimeClasses": ["kata"],
                                       "namespaces": ["kube-system"]}}}))
    .expect("config");
    let c = Controller::load(&config).expect("load");
    assert!(
        !validate(&c, &review_of(pod("x", plain()), json!({}))).allowed,
        "restricted from inventory"
    );
    let by_bot = review_of(
        pod("x", privileged()),
        json!({"userInfo": {"username": "ci-bot"}}),
    );
    let r = validate(&c, &by_bot);
    assert!(r.allowed);
    assert_eq!(
        r.response["response"]["auditAnnotations"]["pod-security.kubernetes.io/exempt"],
        "user"
    );
    let mut kata = pod("x", privileged());
    kata["spec"]["runtimeClassName"] = json!("kata");
    assert!(validate(&c, &review_of(kata, json!({}))).allowed);
    let mut system = pod("x", privileged());
    system["metadata"]["namespace"] = json!("kube-system");
    assert!(validate(&c, &review_of(system, json!({"namespace": "kube-system"}))).allowed);
    config.pod_security.enabled = false;
    let off = Controller::load(&config).expect("load");
    assert!(validate(&off, &review_of(pod("x", privileged()), json!({}))).allowed);
}

#[test]
fn updates_psa_ignores_and_ephemeral_containers() {
    let c = Controller::default_policy();
    let old = pod("x", privileged());
    let mut relabelled = old.clone();
    relabelled["metadata"]["labels"] = json!({"a": "b"});
    let body = review_of(
        relabelled,
        json!({"operation": "UPDATE", "oldObject": old.clone()}),
    );
    assert!(
        validate(&c, &body).allowed,
        "metadata-only update of a running Pod"
    );
    let mut new_image = old.clone();
    new_image["spec"]["containers"][0]["image"] = json!("nginx:2");
    let body = review_of(
        new_image,
        json!({"operation": "UPDATE", "oldObject": old.clone()}),
    );
    assert!(
        !validate(&c, &body).allowed,
        "an image change is checked again"
    );
    let mut debug = pod("x", plain());
    debug["spec"]["ephemeralContainers"] = json!([{"name": "dbg", "image": "busybox",
        "securityContext": {"privileged": true}}]);
    let body = review_of(
        debug,
        json!({"operation": "UPDATE", "subResource": "ephemeralcontainers",
                                       "oldObject": pod("x", plain())}),
    );
    assert!(
        !validate(&c, &body).allowed,
        "ephemeral containers are checked"
    );
    let body = review_of(
        pod("x", privileged()),
        json!({"subResource": "status", "operation": "UPDATE"}),
    );
    assert!(
        validate(&c, &body).allowed,
        "status updates are not Pod Security's business"
    );
    let delete = review_of(
        Value::Null,
        json!({"operation": "DELETE", "oldObject": pod("x", privileged())}),
    );
    assert!(validate(&c, &delete).allowed);
}

#[test]
fn v1beta1_bare_requests_and_malformed_bodies() {
    let c = Controller::default_policy();
    let mut doc: Value =
        serde_json::from_slice(&review_of(pod("x", privileged()), json!({}))).expect("json");
    doc["apiVersion"] = json!("admission.k8s.io/v1beta1");
    let r = validate(&c, doc.to_string().as_bytes());
    assert_eq!(r.response["apiVersion"], "admission.k8s.io/v1beta1");
    assert_eq!(r.response["kind"], "AdmissionReview");
    assert!(!r.allowed);
    let bare = doc["request"].to_string();
    let r = validate(&c, bare.as_bytes());
    assert_eq!(r.response["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(r.response["response"]["uid"], doc["request"]["uid"]);
    let wrapped = json!({"request": doc["request"]}).to_string();
    assert_eq!(
        validate(&c, wrapped.as_bytes()).response["response"]["uid"],
        doc["request"]["uid"]
    );
    for bad in [
        &b""[..],
        b"{",
        b"[]",
        b"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\"}",
        b"{\"kind\":\"AdmissionReview\",\"apiVersion\":\"admission.k8s.io/v1\",\"request\":null}",
        b"{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}",
        b"{\"request\":{\"uid\":7}}",
        b"{\"request\":{\"uid\":\"u\",\"object\":[1]}}",
    ] {
        assert!(
            c.review(ReviewKind::Validate, bad).is_err(),
            "{}",
            String::from_utf8_lossy(bad)
        );
    }
}

#[test]
fn mutate_adds_defaults_and_the_result_passes_restricted() {
    let mut config = Config::default();
    config.pod_security.defaults.enforce = "restricted".into();
    config.mutate.defaults = MutateDefaults::restricted();
    config
        .mutate
        .namespaces
        .insert("legacy".into(), MutateDefaults::default());
    let c = Controller::load(&config).expect("load");
    let mut object = pod("x", plain());
    object["spec"]["initContainers"] = json!([{"name": "init", "image": "busybox",
        "securityContext": {"capabilities": {"drop": ["NET_RAW"]}}}]);
    let body = review_of(object.clone(), json!({}));
    assert!(
        !validate(&c, &body).allowed,
        "not compliant before mutation"
    );
    let r = c.review(ReviewKind::Mutate, &body).expect("review");
    assert!(r.allowed, "{}", r.response);
    let resp = &r.response["response"];
    assert_eq!(resp["patchType"], "JSONPatch");
    let patch = decode(resp["patch"].as_str().unwrap_or(""));
    apply_adds(&mut object, &patch);
    assert_eq!(
        object["spec"]["securityContext"]["seccompProfile"]["type"],
        "RuntimeDefault"
    );
    assert_eq!(
        object["spec"]["initContainers"][0]["securityContext"]["capabilities"]["drop"],
        json!(["NET_RAW", "ALL"])
    );
    assert!(
        validate(&c, &review_of(object, json!({}))).allowed,
        "compliant after mutation"
    );
    // Nothing to add: no patch. Another namespace's defaults: none.
    let r = c
        .review(
            ReviewKind::Mutate,
            &review_of(pod("x", restricted_ok()), json!({})),
        )
        .expect("review");
    assert!(
        r.allowed && r.response["response"].get("patch").is_none(),
        "{}",
        r.response
    );
    let legacy = review_of(pod("x", plain()), json!({"namespace": "legacy"}));
    let r = c.review(ReviewKind::Mutate, &legacy).expect("review");
    assert!(!r.allowed && r.response["response"].get("patch").is_none());
    // Defaults cannot make a privileged container compliant: denied, no patch.
    let r = c
        .review(
            ReviewKind::Mutate,
            &review_of(pod("x", privileged()), json!({})),
        )
        .expect("review");
    assert!(!r.allowed && r.response["response"].get("patch").is_none());
    // Pod templates are mutated too.
    let r = c
        .review(
            ReviewKind::Mutate,
            &review_of(deployment(plain()), json!({})),
        )
        .expect("review");
    let patch = decode(r.response["response"]["patch"].as_str().unwrap_or(""));
    assert!(
        patch
            .iter()
            .any(|op| op["path"] == "/spec/template/spec/securityContext"),
        "{patch:?}"
    );
}

fn decode(b64: &str) -> Vec<Value> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("base64");
    serde_json::from_slice(&bytes).expect("a JSON patch")
}

/// RFC 6902 `add`, the only operation the controller emits.
fn apply_adds(doc: &mut Value, ops: &[Value]) {
    for op in ops {
        assert_eq!(op["op"], "add");
        let path = op["path"].as_str().expect("path");
        let (parent, last) = path.rsplit_once('/').expect("parent");
        match doc.pointer_mut(parent).expect("parent exists") {
            Value::Object(m) => {
                m.insert(last.to_string(), op["value"].clone());
            }
            Value::Array(a) if last == "-" => a.push(op["value"].clone()),
            other => panic!("cannot add to {other}"),
        }
    }
}

#[test]
fn controller_is_shared_across_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Controller>();
}
