//! Falco's own k8saudit rules (`/work/shared/corpus/falco`) over audit events written from
//! the Kubernetes audit documentation (`fixtures/k8s/audit.jsonl`): alert counts per rule
//! equal what the rules' conditions give under Falco's default `rule_matching: first`
//! (`fixtures/k8s/expected_falco_k8s_audit_rules.json`). Skipped when the corpus is absent.

use palisade_runtime::k8saudit::parse_bytes;
use palisade_runtime::{load_files, Engine, FieldCatalog, K8sAudit};
use std::collections::BTreeMap;
use std::path::Path;

const RULES: &str = "/work/shared/corpus/falco/rules-current/falcosecurity__plugins/plugins/k8saudit/rules/k8s_audit_rules.yaml";
const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/k8s");

#[test]
fn falco_k8s_audit_rules_alert_counts() {
    if !Path::new(RULES).is_file() {
        eprintln!("SKIPPED: {RULES} is absent");
        return;
    }
    let cats: [&dyn FieldCatalog; 1] = [&K8sAudit];
    let set = load_files(&[RULES], &cats);
    assert_eq!(set.errors(), 0);
    let engine = Engine::new(K8sAudit, &set);
    assert_eq!(engine.rules.len(), 48, "{:?}", engine.skipped);
    let data = std::fs::read(format!("{DIR}/audit.jsonl")).unwrap();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut skipped = 0;
    for (_, ev) in parse_bytes(&data) {
        let Ok(ev) = ev else {
            skipped += 1;
            continue;
        };
        for a in engine.process(&ev) {
            *counts.entry(a.rule).or_default() += 1;
        }
    }
    assert_eq!(skipped, 2, "the malformed lines are skipped, not fatal");
    let want: BTreeMap<String, u64> = serde_json::from_slice(
        &std::fs::read(format!("{DIR}/expected_falco_k8s_audit_rules.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(counts, want);
}
