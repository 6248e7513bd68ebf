//! `duffel-api-token`: Duffel API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "duffel-api-token",
        title: "Duffel API token",
        provider: "Duffel",
        severity: Medium,
        related: &["duffel-api-token"],
        refs: &[],
        bad: concat!("duffel", "_test_EXAMPLEDw6vVhdWCPZf-8zwiwxHrvOLr9orJNMzC4Oq"),
        good: r#"token = os.environ["DUFFEL_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["duffel_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(duffel_(?:test|live)_[\w=-]{43})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "duffel",
        "_test_EXAMPLEDw6vVhdWCPZf-8zwiwxHrvOLr9orJNMzC4Oq"
    )],
    false_positives: &["duffel_test_x"],
    ..BASE
};
