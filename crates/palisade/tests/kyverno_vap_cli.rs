//! Kyverno ClusterPolicies and ValidatingAdmissionPolicies through the binary: `--policy` on
//! a config scan and `policy test` on `kyverno-test.yaml`.

mod common;

use common::*;

#[test]
fn kyverno_policies_check_manifests_with_autogen() {
    let report = json_of(&[
        "config",
        &examples("k8s"),
        "--policy",
        &examples("policy-kyverno"),
        "-f",
        "json",
        "-q",
    ]);
    let found = policy_findings(&report);
    // `web` has no owner label and pulls from docker.io; `api` is clean. The Pod rules reach
    // the Deployments through autogen, under the rule's own name.
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].0, "workload-hygiene/require-owner");
    assert_eq!(found[0].1, "MEDIUM", "the policy's severity annotation");
    assert!(
        found[0].2.contains("Deployment web needs an `owner` label"),
        "{found:?}"
    );
    assert_eq!(found[1].0, "workload-hygiene/trusted-registries");
    assert!(
        found[1].2.contains("docker.io/library/nginx:1.27"),
        "{found:?}"
    );
}

#[test]
fn vap_with_binding_and_params_checks_manifests() {
    let report = json_of(&[
        "config",
        &examples("k8s"),
        "--policy",
        &examples("policy-vap"),
        "-f",
        "json",
        "-q",
    ]);
    let found = policy_findings(&report);
    assert_eq!(found.len(), 2, "{found:?}");
    for f in &found {
        assert_eq!(f.0, "replica-limit");
        assert_eq!(f.1, "HIGH", "validationActions: [Deny]");
        assert_eq!(
            f.2.split(": ").last(),
            Some("replicas must be at most 1, not 2")
        );
    }
}

#[test]
fn vap_findings_fail_the_build_with_exit_code() {
    palisade()
        .args([
            "config",
            &examples("k8s"),
            "--policy",
            &examples("policy-vap"),
            "--severity",
            "HIGH",
            "--exit-code",
            "3",
            "-q",
        ])
        .assert()
        .code(3);
}

#[test]
fn policy_test_runs_kyverno_tests() {
    let out = palisade()
        .args(["policy", "test", &examples("policy-kyverno"), "-v"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains(
            "ok    workload-hygiene workload-hygiene/no-privileged Deployment/bad-deploy (fail)"
        ),
        "{text}"
    );
    assert!(text.contains("6 passed, 0 failed"), "{text}");
}

#[test]
fn policy_test_fails_on_a_wrong_expectation_and_says_why() {
    let dir = tempfile::tempdir().expect("tempdir");
    let policy = std::fs::read_to_string(
        repo_root().join("examples/policy-kyverno/require-owner-label.yaml"),
    )
    .expect("example");
    std::fs::write(dir.path().join("policy.yaml"), policy).expect("write");
    std::fs::write(
        dir.path().join("resource.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: c, image: registry.example.com/c, securityContext: {privileged: true}}\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("kyverno-test.yaml"),
        "apiVersion: cli.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: t}\npolicies: [policy.yaml]\nresources: [resource.yaml]\nresults:\n- {policy: workload-hygiene, rule: no-privileged, kind: Pod, resources: [p], result: pass}\n",
    )
    .expect("write");
    let out = palisade()
        .args(["policy", "test", &dir.path().display().to_string()])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(
        text.contains("FAIL  t workload-hygiene/no-privileged Pod/p: want pass, got fail"),
        "{text}"
    );
    assert!(
        text.contains("Privileged containers are not allowed"),
        "{text}"
    );
    let json = palisade()
        .args([
            "policy",
            "test",
            &dir.path().display().to_string(),
            "-f",
            "json",
        ])
        .assert()
        .code(1);
    let line = String::from_utf8_lossy(&json.get_output().stdout).to_string();
    let e: serde_json::Value =
        serde_json::from_str(line.lines().next().unwrap_or("")).expect("JSON line");
    assert_eq!(e["expected"], "pass");
    assert_eq!(e["actual"], "fail");
    assert_eq!(e["pass"], false);
}

#[test]
fn a_kyverno_policy_that_does_not_parse_is_the_commands_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("bad.yaml"),
        "apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: bad}\nspec:\n  rules:\n  - name: r\n    validate: {podSecurity: {level: strict}}\n    match: {any: [{resources: {kinds: [Pod]}}]}\n",
    )
    .expect("write");
    let out = palisade()
        .args([
            "config",
            &examples("k8s"),
            "--policy",
            &dir.path().display().to_string(),
            "-q",
        ])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.yaml") && err.contains("bad"), "{err}");
}
