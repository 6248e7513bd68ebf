//! Every built-in rule is documented, has fixtures, and its fixtures behave.

use palisade_secrets::{builtin_rules, rules, Scanner, SecretConfig};
use std::collections::HashSet;

#[test]
fn every_rule_is_documented_and_unique() {
    let mut ids = HashSet::new();
    let mut problems = Vec::new();
    for meta in rules() {
        problems.extend(meta.docs_problems());
        assert_eq!(
            meta.family,
            palisade_core::RuleFamily::Secret,
            "{}",
            meta.id
        );
        assert!(ids.insert(meta.id), "duplicate rule id {}", meta.id);
        assert!(
            meta.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not a kebab-case id",
            meta.id
        );
    }
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(rules().len() >= 100, "only {} rules", rules().len());
}

/// Runs the test cases of every entry in `data/rules.yaml`.
#[test]
fn every_rule_has_fixtures_and_they_behave() {
    let mut failures = Vec::new();
    for rule in builtin_rules() {
        let id = rule.meta.id;
        let (tps, fps) = (
            &rule.spec.tests.true_positives,
            &rule.spec.tests.false_positives,
        );
        if tps.is_empty() || fps.is_empty() {
            failures.push(format!("{id}: missing fixtures"));
            continue;
        }
        assert!(
            !rule.spec.keywords.is_empty(),
            "{id}: no prefilter keywords"
        );
        assert!(rule.spec.title.is_some(), "{id}: no title");
        let scanner = Scanner::new(SecretConfig {
            only_rules: vec![id.to_string()],
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        for tp in tps {
            let found = scanner.scan("fixture.txt", tp.as_bytes());
            if !found.iter().any(|f| f.rule_id == id) {
                failures.push(format!(
                    "{id}: missed true positive {:?}",
                    palisade_core::mask_secret(tp)
                ));
            }
        }
        for fp in fps {
            let found = scanner.scan("fixture.txt", fp.as_bytes());
            if found.iter().any(|f| f.rule_id == id) {
                failures.push(format!("{id}: reported false positive {fp:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn markdown_docs_render() {
    let meta = rules()
        .into_iter()
        .find(|m| m.id == "aws-access-key-id")
        .expect("aws rule");
    let md = meta.to_markdown();
    assert!(md.contains("# aws-access-key-id"));
    assert!(
        meta.answers_to("aws-access-token"),
        "gitleaks id maps to ours"
    );
}
