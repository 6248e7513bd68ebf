//! The examples of Conftest's documentation that need no network, rewritten as tests with the
//! results Conftest's documentation gives for them.

use palisade_policy::{Namespaces, Options, PolicySet, Verdict};
use serde_json::{json, Value};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn load(dir: &Path, namespaces: Namespaces) -> PolicySet {
    PolicySet::load(
        &[dir],
        Options {
            namespaces,
            ..Options::default()
        },
    )
    .unwrap()
}

fn deployment(run_as_non_root: bool, app_label: bool) -> Value {
    let mut d = json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "hello-kubernetes"},
        "spec": {"replicas": 3, "selector": {"matchLabels": {}},
                 "template": {"spec": {"containers": [{"name": "hello", "image": "hello:1.5"}]}}}
    });
    if run_as_non_root {
        d["spec"]["template"]["spec"]["securityContext"] = json!({"runAsNonRoot": true});
    }
    if app_label {
        d["spec"]["selector"]["matchLabels"]["app"] = json!("hello");
    }
    d
}

const DEPLOYMENT_RULES: &str = r#"package main

deny contains msg if {
    input.kind == "Deployment"
    not input.spec.template.spec.securityContext.runAsNonRoot
    msg := "Containers must not run as root"
}

deny contains msg if {
    input.kind == "Deployment"
    not input.spec.selector.matchLabels.app
    msg := "Containers must provide app label for pod selectors"
}
"#;

/// The README example: a Deployment without runAsNonRoot and without an app label fails
/// both rules ("2 tests, 0 passed, 0 warnings, 2 failures").
#[test]
fn readme_deployment_fails_both_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policy/deployment.rego", DEPLOYMENT_RULES);
    let set = load(&dir.path().join("policy"), Namespaces::default());
    let mut msgs: Vec<String> = set
        .check(&deployment(false, false))
        .unwrap()
        .into_iter()
        .map(|o| {
            assert_eq!(o.verdict, Verdict::Failure);
            assert_eq!((o.namespace.as_str(), o.rule.as_str()), ("main", "deny"));
            o.msg
        })
        .collect();
    msgs.sort();
    assert_eq!(
        msgs,
        [
            "Containers must not run as root",
            "Containers must provide app label for pod selectors"
        ]
    );
    assert!(set.check(&deployment(true, true)).unwrap().is_empty());
}

/// Rego v0 (Conftest before 0.56) and v1 policies load side by side.
#[test]
fn v0_and_v1_modules_load_together() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "v1.rego", DEPLOYMENT_RULES);
    write(
        dir.path(),
        "v0.rego",
        "package main\n\nwarn[msg] {\n  input.spec.replicas < 5\n  msg := \"fewer than 5 replicas\"\n}\n",
    );
    let set = load(dir.path(), Namespaces::default());
    let outcomes = set.check(&deployment(true, true)).unwrap();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert_eq!(outcomes[0].verdict, Verdict::Warning);
    assert_eq!(outcomes[0].rule, "warn");
}

/// The exceptions example: `exception[rules]` naming `run_as_root` waives
/// `deny_run_as_root` for that Deployment only.
#[test]
fn exceptions_waive_named_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.rego",
        r#"package main
deny_run_as_root contains msg if {
    input.kind == "Deployment"
    not input.spec.template.spec.securityContext.runAsNonRoot
    msg := "Containers must not run as root"
}
exception contains rules if {
    input.kind == "Deployment"
    input.metadata.name == "can-run-as-root"
    rules := ["run_as_root"]
}
"#,
    );
    let set = load(dir.path(), Namespaces::default());
    let mut d = deployment(false, true);
    assert_eq!(set.check(&d).unwrap().len(), 1);
    d["metadata"]["name"] = json!("can-run-as-root");
    assert!(set.check(&d).unwrap().is_empty());
}

/// Namespaces: rules outside `main` apply only when asked for, by name or all at once.
#[test]
fn namespaces_select_packages() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.rego",
        "package main\ndeny contains \"main says no\" if input.x\n",
    );
    write(
        dir.path(),
        "b.rego",
        "package group.extra\nviolation contains {\"msg\": \"extra says no\", \"severity\": \"critical\"} if input.x\n",
    );
    let input = json!({"x": true});
    let main = load(dir.path(), Namespaces::default())
        .check(&input)
        .unwrap();
    assert_eq!(main.len(), 1);
    let extra = load(dir.path(), Namespaces::Some(vec!["group.extra".into()]))
        .check(&input)
        .unwrap();
    assert_eq!(extra.len(), 1);
    assert_eq!(extra[0].msg, "extra says no");
    assert_eq!(extra[0].metadata["severity"], "critical");
    let all = load(dir.path(), Namespaces::All).check(&input).unwrap();
    assert_eq!(all.len(), 2);
}

/// `data.json` beside the policies is `data`; directories nest it (an OPA bundle layout).
#[test]
fn data_documents_are_data() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.rego",
        "package main\nimport data.registries\ndeny contains msg if {\n  not startswith(input.image, registries.allowed[_])\n  msg := sprintf(\"%s is not from %v\", [input.image, registries.allowed])\n}\n",
    );
    write(
        dir.path(),
        "registries/data.yaml",
        "allowed: [\"registry.example.com/\"]\n",
    );
    let set = load(dir.path(), Namespaces::default());
    assert!(set
        .check(&json!({"image": "registry.example.com/app"}))
        .unwrap()
        .is_empty());
    assert_eq!(
        set.check(&json!({"image": "docker.io/app"})).unwrap().len(),
        1
    );
}
