//! `linear-api-key`: Linear API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "linear-api-key",
        title: "Linear API key",
        provider: "Linear",
        severity: High,
        related: &["linear-api-key", "linear-client-secret"],
        refs: &[],
        bad: concat!("lin", "_api_EXAMPLEcVF2UyBfO3TWlMitcfdkhcbuTSOkhDkgl"),
        good: r#"token = os.environ["LINEAR_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["lin_api_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(lin_api_[a-zA-Z0-9]{40})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "lin",
        "_api_EXAMPLEcVF2UyBfO3TWlMitcfdkhcbuTSOkhDkgl"
    )],
    false_positives: &["lin_api_x"],
    ..BASE
};
