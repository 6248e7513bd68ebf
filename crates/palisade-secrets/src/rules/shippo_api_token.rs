//! `shippo-api-token`: Shippo API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "shippo-api-token",
        title: "Shippo API token",
        provider: "Shippo",
        severity: High,
        related: &["shippo-api-token"],
        refs: &[],
        bad: concat!("shippo", "_live_c0ffee455b817a151dd64b338ec80cc5c0b3aa41"),
        good: r#"token = os.environ["SHIPPO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["shippo_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(shippo_(?:live|test)_[a-fA-F0-9]{40})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "shippo",
        "_live_c0ffee455b817a151dd64b338ec80cc5c0b3aa41"
    )],
    false_positives: &["shippo_live_x"],
    ..BASE
};
