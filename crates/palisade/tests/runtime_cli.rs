//! `palisade runtime rules check | replay` through the binary, on the runtime crate's own
//! fixtures (nothing outside the repository).

mod common;

use common::*;

fn fixture(p: &str) -> String {
    repo_root()
        .join("crates/palisade-runtime/tests/fixtures")
        .join(p)
        .display()
        .to_string()
}

#[test]
fn rules_check_ok_and_invalid() {
    let out = palisade()
        .args([
            "runtime",
            "rules",
            "check",
            &fixture("k8s/rules.yaml"),
            &fixture("k8s/overlay.yaml"),
        ])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("k8s_audit: 2/2 rules evaluable; 0 errors"),
        "{text}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "- rule: r\n  desc: d\n  condition: ka.verb = = x\n  output: o\n  priority: INFO\n  source: k8s_audit\n").expect("write");
    let out = palisade()
        .args(["runtime", "rules", "check"])
        .arg(&bad)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("bad.yaml:3:1: error: rule 'r': LOAD_ERR_COMPILE_CONDITION"),
        "{text}"
    );
    assert!(text.contains(": Invalid"), "{text}");
}

#[test]
fn replay_alerts_as_json_lines_and_findings() {
    let out = palisade()
        .args([
            "runtime",
            "replay",
            "--source",
            "k8saudit",
            "--rules",
            &fixture("k8s/rules.yaml"),
            &fixture("k8s/events.jsonl"),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let alerts: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(alerts.len(), 5);
    assert_eq!(alerts[0]["rule"], "Untrusted User Creates Pod");
    assert_eq!(alerts[0]["source"], "k8s_audit");
    assert!(String::from_utf8_lossy(&out.stderr).contains("event skipped"));

    let out = palisade()
        .args([
            "runtime",
            "replay",
            "-r",
            &fixture("k8s/rules.yaml"),
            "-f",
            "json",
            "--exit-code",
            "3",
            &fixture("k8s/events.jsonl"),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report json");
    let findings = report["results"][0]["findings"]
        .as_array()
        .expect("findings");
    assert_eq!(findings.len(), 5);
    assert_eq!(findings[3]["severity"], "CRITICAL");
    assert_eq!(findings[3]["rule_id"], "Privileged Container");

    let out = palisade()
        .args([
            "runtime",
            "replay",
            "--source",
            "syscall",
            "-r",
            &fixture("syscall_rules.yaml"),
            &fixture("syscall_events.jsonl"),
        ])
        .output()
        .expect("run");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
}

#[test]
fn replay_refuses_rules_with_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "- macro: [").expect("write");
    let out = palisade()
        .args(["runtime", "replay", "-r"])
        .arg(&bad)
        .arg(fixture("k8s/events.jsonl"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rules do not load"));
}

#[test]
fn fields_lists_each_source() {
    let out = palisade()
        .args(["runtime", "fields"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("source k8s_audit"), "{text}");
    assert!(text.contains("jevt.value[/json/pointer]"), "{text}");
    assert!(text.contains("ka.req.pod.containers.image[N]"), "{text}");
    let out = palisade()
        .args(["runtime", "fields", "--source", "syscall"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("proc.aname[N]"), "{text}");
}

#[test]
fn replay_suppression_by_rule_and_ignore_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ign = dir.path().join("ignore.yaml");
    std::fs::write(&ign, "ignore:\n  - id: Privileged Container\n").expect("write");
    let count = |extra: &[&str]| {
        let out = palisade()
            .args([
                "runtime",
                "replay",
                "-r",
                &fixture("k8s/rules.yaml"),
                &fixture("k8s/events.jsonl"),
            ])
            .args(extra)
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).lines().count()
    };
    assert_eq!(count(&[]), 5);
    assert_eq!(count(&["--ignore", "Untrusted User Creates Pod"]), 2);
    assert_eq!(count(&["--ignorefile", ign.to_str().expect("utf-8")]), 3);
}
