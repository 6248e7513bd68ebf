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

/// Test keys that installed packages ship (vendored libraries' tests, /usr/share/doc) are not
/// the image's credentials; the same key in a project's own tree is still reported.
#[test]
fn installed_package_fixtures_are_skipped_but_project_trees_are_not() {
    // A key-shaped body built at run time, so the repository holds no key material.
    let mut x: u32 = 0x2545_f491;
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let body: String = (0..6 * 64)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let c = alphabet[(x >> 16) as usize % 64] as char;
            if i % 64 == 63 {
                format!("{c}\n")
            } else {
                c.to_string()
            }
        })
        .collect();
    let key = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}-----END RSA PRIVATE KEY-----\n");
    let scanner = Scanner::new(SecretConfig {
        only_rules: vec!["private-key".to_string()],
        ..Default::default()
    })
    .expect("built-in rules compile");
    for skipped in [
        "usr/lib/python3/dist-packages/requests/tests/certs/server.key",
        "lib/google-cloud-sdk/platform/gsutil/gslib/tests/test_data/key.pem",
        "app/node_modules/ssh2/test/fixtures/id_rsa",
        "usr/share/doc/libxmlsec1-dev/examples/rsakey.pem",
        "lib/google-cloud-sdk/lib/third_party/kubernetes/config/kube_config_test.py",
        "usr/lib/python3/dist-packages/foo/test_client.py",
        "app/node_modules/pkg/lib/client.test.js",
    ] {
        assert!(
            scanner.scan(skipped, key.as_bytes()).is_empty(),
            "{skipped}"
        );
    }
    for reported in [
        "src/lib/tests/deploy.key",
        "deploy/id_rsa",
        "usr/local/app/config/server.key",
        "src/config/kube_config_test.py",
        "src/client.test.js",
    ] {
        assert!(
            !scanner.scan(reported, key.as_bytes()).is_empty(),
            "{reported}"
        );
    }
}

/// A value whose name says it is a digest of the credential (`…_sha256`, `…_md5`) is not the
/// credential, whichever rule reads the name; the same value under the plain name is.
#[test]
fn digest_named_values_are_not_reported() {
    let mut x: u32 = 0x1234_5678;
    let hex: String = (0..64)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            char::from(b"0123456789abcdef"[(x >> 16) as usize % 16])
        })
        .collect();
    let scanner = Scanner::new(SecretConfig::default()).expect("built-in rules compile");
    let plain = format!("{{\n  \"sentry_auth_token\": \"{hex}\"\n}}\n");
    assert!(!scanner.scan("settings.json", plain.as_bytes()).is_empty());
    for name in [
        "sentry_auth_token_sha256",
        "SENTRY_AUTH_TOKEN_MD5",
        "sentry.token.digest",
    ] {
        let digest = format!("{{\n  \"{name}\": \"{hex}\"\n}}\n");
        let found = scanner.scan("settings.json", digest.as_bytes());
        assert!(
            found.is_empty(),
            "{name}: {:?}",
            found.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
        );
    }
}
