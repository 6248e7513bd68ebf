//! Self-contained k8s audit replay: fixture rules with exceptions, an overlay file with
//! `append: true` and `override:`, JSON-pointer fields, output formatting and alerts as
//! findings. Needs nothing outside the repository.

use palisade_core::Severity;
use palisade_runtime::k8saudit::{parse_bytes, AuditEvent};
use palisade_runtime::output::{Limit, RateLimiter};
use palisade_runtime::rules::Level;
use palisade_runtime::{load_files, to_finding, Alert, Engine, FieldCatalog, K8sAudit, Matching};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/k8s");

fn events(name: &str) -> (Vec<AuditEvent>, usize) {
    let data = std::fs::read(format!("{DIR}/{name}")).unwrap();
    let mut bad = 0;
    let evs = parse_bytes(&data)
        .into_iter()
        .filter_map(|(_, r)| r.map_err(|_| bad += 1).ok())
        .collect();
    (evs, bad)
}

fn run(files: &[&str], matching: Matching) -> Vec<Alert> {
    let paths: Vec<String> = files.iter().map(|f| format!("{DIR}/{f}")).collect();
    let cats: [&dyn FieldCatalog; 1] = [&K8sAudit];
    let set = load_files(&paths, &cats);
    let errs: Vec<_> = set
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errs.is_empty(), "{errs:#?}");
    let mut engine = Engine::new(K8sAudit, &set);
    engine.matching = matching;
    let (evs, bad) = events("events.jsonl");
    assert_eq!((evs.len(), bad), (8, 1));
    evs.iter().flat_map(|e| engine.process(e)).collect()
}

fn summary(alerts: &[Alert]) -> Vec<(String, String)> {
    alerts
        .iter()
        .map(|a| {
            (
                a.rule.clone(),
                a.output_fields
                    .get("ka.target.name")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn base_rules_exceptions_and_first_match() {
    let alerts = run(&["rules.yaml"], Matching::First);
    let got: Vec<(&str, &str)> = alerts
        .iter()
        .map(|a| {
            (
                a.rule.as_str(),
                a.output
                    .split("pod=")
                    .nth(1)
                    .unwrap_or("")
                    .split(' ')
                    .next()
                    .unwrap_or(""),
            )
        })
        .collect();
    // p2 (alice trusted), p4 (sandbox + user starting with bob: tuple exception) stay quiet;
    // p6 is alice's with an excepted image; p7/p8 privileged by alice.
    let rules: Vec<&str> = got.iter().map(|(r, _)| *r).collect();
    assert_eq!(
        rules,
        [
            "Untrusted User Creates Pod",
            "Untrusted User Creates Pod",
            "Untrusted User Creates Pod",
            "Privileged Container",
            "Privileged Container"
        ],
        "{got:?}"
    );
    let first = &alerts[0];
    assert_eq!(
        first.output,
        "10:00:01.000000001: Warning Pod created (user=mallory pod=p1 ns=default image=(nginx:1.25) missing=<NA>)"
    );
    assert_eq!(first.time, "2026-01-10T10:00:01.000000001Z");
    assert_eq!(
        first.output_fields["ka.req.service.type"],
        serde_json::Value::Null
    );
    assert_eq!(first.output_fields["ka.target.namespace"], "default");
    // List fields print as Falco prints them, `(a,b)`, and are arrays in output_fields.
    assert_eq!(
        first.output_fields["ka.req.pod.containers.image[0]"],
        serde_json::json!(["nginx:1.25"])
    );
    assert_eq!(first.tags, ["k8s", "test"]);
    assert_eq!(first.source, "k8s_audit");
}

#[test]
fn all_matches_reports_every_rule() {
    let alerts = run(&["rules.yaml"], Matching::All);
    let p1: Vec<&str> = alerts
        .iter()
        .filter(|a| a.output.contains("p1") || a.output.contains("first=app"))
        .map(|a| a.rule.as_str())
        .collect();
    assert!(p1.contains(&"Privileged Container"), "{p1:?}");
    assert!(p1.contains(&"Untrusted User Creates Pod"), "{p1:?}");
}

#[test]
fn overlay_appends_and_overrides() {
    let alerts = run(&["rules.yaml", "overlay.yaml"], Matching::First);
    let s = summary(&alerts);
    let rules: Vec<&str> = s.iter().map(|(r, _)| r.as_str()).collect();
    // carol is now trusted (list append), dave in dev is excepted (exception values
    // append), the lab namespace no longer alerts (condition append), priority replaced.
    assert_eq!(
        rules,
        ["Untrusted User Creates Pod", "Privileged Container"],
        "{alerts:#?}"
    );
    assert_eq!(alerts[1].priority, "Error");
    assert!(alerts[1].output.contains("first=x"), "{}", alerts[1].output);
}

#[test]
fn alerts_become_findings() {
    let alerts = run(&["rules.yaml"], Matching::First);
    let f = to_finding(&alerts[0]);
    assert_eq!(f.rule_id, "Untrusted User Creates Pod");
    assert_eq!(f.severity, Severity::Medium);
    let obj = f.location.object.as_ref().unwrap();
    assert_eq!(
        (
            obj.kind.as_str(),
            obj.namespace.as_deref(),
            obj.name.as_str()
        ),
        ("pods", Some("default"), "p1")
    );
    let crit = alerts
        .iter()
        .find(|a| a.rule == "Privileged Container")
        .unwrap();
    assert_eq!(to_finding(crit).severity, Severity::Critical);
}

#[test]
fn rate_limit_per_rule_by_event_time() {
    let mut l = RateLimiter::new(Limit::parse("1:2"));
    let s = 1_000_000_000i64;
    let allowed: Vec<bool> = [0, 0, 0, s / 2, 2 * s]
        .iter()
        .map(|t| l.allow("r", *t))
        .collect();
    assert_eq!(allowed, [true, true, false, false, true]);
    assert!(l.allow("other", 0));
    assert_eq!(l.dropped["r"], 2);
    assert!(Limit::parse("0").is_none() && Limit::parse("x").is_none());
}

#[test]
fn event_lists_arrays_and_garbage() {
    let list = br#"{"kind":"EventList","items":[{"kind":"Event","auditID":"x","verb":"get","stageTimestamp":"2026-01-01T00:00:00Z"},{"kind":"Event","auditID":"y"}]}"#;
    let r = parse_bytes(list);
    assert_eq!(r.len(), 2);
    assert!(r[0].1.is_ok() && r[1].1.is_err());
    let arr = br#"[{"kind":"Event","auditID":"x","stageTimestamp":"2026-01-01T00:00:00Z"}]"#;
    assert_eq!(parse_bytes(arr).len(), 1);
    for junk in [
        &b"{\"kind\":0}"[..],
        b"[]",
        b"null",
        b"\xff\xfe",
        b"{\"kind\":\"EventList\",\"items\":5}",
        b"",
    ] {
        assert!(parse_bytes(junk).iter().all(|(_, r)| r.is_err()));
    }
}

#[test]
fn rate_limit_survives_extreme_times() {
    let mut l = RateLimiter::new(Limit::parse("1"));
    for t in [i64::MAX, i64::MIN, 0, i64::MAX, i64::MIN] {
        let _ = l.allow("r", t);
    }
}
