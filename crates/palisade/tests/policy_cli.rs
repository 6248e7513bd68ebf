//! `--policy` on scans, `policy test` and `policy eval`, through the binary.

mod common;

use common::*;
use std::path::Path;

#[test]
fn config_applies_rego_and_gatekeeper_policies() {
    let report = json_of(&[
        "config",
        &examples("k8s"),
        "--policy",
        &examples("policy"),
        "-f",
        "json",
        "-q",
    ]);
    let found = policy_findings(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "AllowedRegistries/company-registries");
    assert!(
        found[0].2.contains("docker.io/library/nginx:1.27"),
        "{found:?}"
    );
    assert_eq!(found[1].0, "main.deny");
    assert!(
        found[1].2.ends_with("Deployment/web has no owner label"),
        "{found:?}"
    );
}

#[test]
fn policy_findings_obey_severity_exit_code_and_ignore() {
    let base = [
        "config",
        &examples("k8s"),
        "--policy",
        &examples("policy"),
        "-q",
        "--severity",
        "HIGH",
        "--exit-code",
        "3",
    ];
    palisade().args(base).assert().code(3);
    palisade()
        .args(base)
        .args(["--ignore", "main.deny,AllowedRegistries/company-registries"])
        .assert()
        .code(0);
    let out = palisade()
        .args(base)
        .args(["-f", "sarif"])
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].to_string();
    assert!(rules.contains("main.deny"), "{rules}");
}

#[test]
fn image_policies_see_config_vulnerabilities_and_masked_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("leak.rego"),
        "package main\nimport rego.v1\nwarn contains msg if {\n  some s in input.secrets\n  msg := sprintf(\"evidence %v\", [s.evidence])\n}\n",
    )
    .unwrap();
    let report = json_of(&[
        "image",
        "--input",
        &demo_image(),
        "--policy",
        &examples("policy"),
        "--policy",
        &dir.path().display().to_string(),
        "-f",
        "json",
        "-q",
    ]);
    let found = policy_findings(&report);
    let ids: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
    assert!(ids.contains(&"main.deny"), "{found:?}");
    assert!(
        found
            .iter()
            .any(|f| f.1 == "CRITICAL" && f.2.contains("lodash")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|f| f.2.contains("runs as root")),
        "{found:?}"
    );
    let evidence: Vec<&String> = found
        .iter()
        .filter(|f| f.2.starts_with("evidence"))
        .map(|f| &f.2)
        .collect();
    assert!(!evidence.is_empty(), "{found:?}");
    // The demo image's AWS key: masked before any policy sees it.
    for e in evidence {
        assert!(e.contains('*'), "{e}");
        assert!(!e.contains("AKIA") || e.contains("****"), "{e}");
    }
}

#[test]
fn broken_policy_is_the_commands_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.rego"),
        "package main\ndeny contains x if {\n",
    )
    .unwrap();
    let out = palisade()
        .args(["config", &examples("k8s"), "--policy"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.rego: line 3, column 1"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn no_package_selected_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package team\ndeny contains \"x\" if true\n",
    )
    .unwrap();
    let out = palisade()
        .args(["config", &examples("k8s"), "--policy"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("found: data.team"));
    palisade()
        .args([
            "config",
            &examples("k8s"),
            "-q",
            "--namespace",
            "team",
            "--policy",
        ])
        .arg(dir.path())
        .assert()
        .code(0);
}

fn suite_dir(dir: &Path, expect: &str, rego: &str) {
    let w = |n: &str, t: &str| std::fs::write(dir.join(n), t).unwrap();
    w(
        "template.yaml",
        &format!(
            "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {{name: nolatest}}\nspec:\n  crd: {{spec: {{names: {{kind: NoLatest}}}}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n{}\n",
            rego.lines().map(|l| format!("      {l}")).collect::<Vec<_>>().join("\n")
        ),
    );
    w(
        "constraint.yaml",
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: NoLatest\nmetadata: {name: no-latest}\n",
    );
    w(
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: 'nginx:latest'}]\n",
    );
    w(
        "suite.yaml",
        &format!("kind: Suite\napiVersion: test.gatekeeper.sh/v1alpha1\ntests:\n- name: t\n  template: template.yaml\n  constraint: constraint.yaml\n  cases:\n  - name: latest\n    object: pod.yaml\n    assertions:\n    - violations: {expect}\n"),
    );
}

const NO_LATEST: &str = "package nolatest\nviolation[{\"msg\": msg}] {\n  c := input.review.object.spec.containers[_]\n  endswith(c.image, \":latest\")\n  msg := sprintf(\"%v uses latest\", [c.name])\n}";

#[test]
fn policy_test_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    suite_dir(dir.path(), "yes", NO_LATEST);
    palisade()
        .args(["policy", "test"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicates::str::contains("1 passed, 0 failed"));
    suite_dir(dir.path(), "no", NO_LATEST);
    let out = palisade()
        .args(["policy", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL"), "{text}");
    assert!(text.contains("c uses latest"), "{text}");
    let json = palisade()
        .args(["policy", "test", "-f", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let record: serde_json::Value = serde_json::from_str(
        String::from_utf8_lossy(&json.stdout)
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(record["expected"], "no");
    assert_eq!(record["actual"], 1);
    assert_eq!(record["pass"], false);
    suite_dir(
        dir.path(),
        "yes",
        "package nolatest\nviolation[{\"msg\": msg}] {\n  msg := \n}",
    );
    let out = palisade()
        .args(["policy", "test"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("template.yaml"));
}

#[test]
fn policy_eval_prints_json() {
    let out = palisade()
        .args([
            "policy",
            "eval",
            "--policy",
            &examples("policy/kubernetes.rego"),
            "--input",
            &examples("k8s/deployment.yaml"),
            "[m | some doc in input; some m in data.main.deny with input as doc]",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v, serde_json::json!(["Deployment/web has no owner label"]));
    palisade()
        .args(["policy", "eval", "data.nothing.here"])
        .assert()
        .code(1);
}

/// What each kind of policy input looks like, taken from the shipped pipeline (a policy that
/// hands its `input` back) and checked against the schemas in `docs/policy-input/`.
#[test]
fn policy_inputs_match_their_documented_schemas() {
    use palisade_testkit::{assert_valid, Schema};
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy");
    std::fs::create_dir(&policy).unwrap();
    std::fs::write(
        policy.join("echo.rego"),
        "package main\nimport rego.v1\nwarn contains {\"msg\": \"echo\", \"input\": input}\n",
    )
    .unwrap();
    std::fs::write(
        policy.join("template.yaml"),
        "apiVersion: templates.gatekeeper.sh/v1\nkind: ConstraintTemplate\nmetadata: {name: echo}\nspec:\n  crd: {spec: {names: {kind: Echo}}}\n  targets:\n  - target: admission.k8s.gatekeeper.sh\n    rego: |\n      package echo\n      violation[{\"msg\": \"echo\", \"details\": input}] { true }\n",
    )
    .unwrap();
    std::fs::write(
        policy.join("constraint.yaml"),
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: Echo\nmetadata: {name: echo}\nspec:\n  parameters: {any: thing}\n",
    )
    .unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    std::fs::write(
        tree.join("Dockerfile"),
        "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y curl\nFROM base\nUSER app\n",
    )
    .unwrap();
    std::fs::copy(
        repo_root().join("examples/k8s/deployment.yaml"),
        tree.join("app.yaml"),
    )
    .unwrap();
    let policy = policy.display().to_string();
    let echoed = |args: &[&str]| -> Vec<serde_json::Value> {
        let report = json_of(args);
        report["results"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["message"] == "echo")
            .map(|f| {
                f["extra"]["metadata"]["input"]
                    .clone()
                    .as_object()
                    .map(|_| f["extra"]["metadata"]["input"].clone())
                    .unwrap_or_else(|| f["extra"]["details"].clone())
            })
            .collect()
    };
    let config = echoed(&[
        "config",
        &tree.display().to_string(),
        "--policy",
        &policy,
        "-f",
        "json",
        "-q",
    ]);
    let (mut dockerfiles, mut objects, mut reviews) = (0, 0, 0);
    for input in &config {
        if input["kind"] == "Dockerfile" {
            assert_valid(Schema::PolicyDockerfile, input);
            dockerfiles += 1;
        } else if input.get("review").is_some() {
            assert_valid(Schema::PolicyGatekeeper, input);
            reviews += 1;
        } else {
            assert_valid(Schema::PolicyKubernetes, input);
            objects += 1;
        }
    }
    assert_eq!((dockerfiles, objects, reviews), (1, 2, 2), "{config:?}");
    let image = echoed(&[
        "image",
        "--input",
        &demo_image(),
        "--policy",
        &policy,
        "-f",
        "json",
        "-q",
    ]);
    assert_eq!(image.len(), 1);
    assert_valid(Schema::PolicyArtifact, &image[0]);
    assert!(!image[0]["packages"].as_array().unwrap().is_empty());
    assert!(!image[0]["image"]["history"].as_array().unwrap().is_empty());
    let fs = echoed(&[
        "fs",
        &tree.display().to_string(),
        "--policy",
        &policy,
        "-f",
        "json",
        "-q",
    ]);
    assert_eq!(fs.len(), 1);
    assert_valid(Schema::PolicyArtifact, &fs[0]);
}

/// `--inventory` adds cluster state: a namespaceSelector matches only when the namespace's
/// labels are known, from the scan or from the inventory file.
#[test]
fn inventory_files_feed_namespace_selectors() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("policy");
    std::fs::create_dir(&policy).unwrap();
    std::fs::copy(
        repo_root().join("examples/policy/gatekeeper/allowed-registries.yaml"),
        policy.join("template.yaml"),
    )
    .unwrap();
    std::fs::write(
        policy.join("constraint.yaml"),
        "apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: AllowedRegistries\nmetadata: {name: prod-only}\nspec:\n  match:\n    namespaceSelector: {matchLabels: {env: prod}}\n  parameters: {registries: [registry.example.com/]}\n",
    )
    .unwrap();
    let inventory = dir.path().join("cluster.yaml");
    std::fs::write(
        &inventory,
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {env: prod}}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "config".to_string(),
            examples("k8s"),
            "--policy".to_string(),
            policy.display().to_string(),
            "-f".to_string(),
            "json".to_string(),
            "-q".to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        policy_findings(&json_of(&args))
    };
    assert!(run(&[]).is_empty());
    let found = run(&["--inventory", &inventory.display().to_string()]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "AllowedRegistries/prod-only");
}
