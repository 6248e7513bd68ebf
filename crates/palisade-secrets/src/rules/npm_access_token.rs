//! `npm-access-token`: npm access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "npm-access-token",
        title: "npm access token",
        provider: "npm",
        severity: Critical,
        related: &["npm-access-token"],
        refs: &["https://docs.npmjs.com/about-access-tokens"],
        bad: concat!("np", "m_EXAMPLE476fmFr3tMLIWfmiErX5W25oL7tcL"),
        good: r#"token = os.environ["NPM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["npm_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(npm_[a-zA-Z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("np", "m_EXAMPLE476fmFr3tMLIWfmiErX5W25oL7tcL")],
    false_positives: &["npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
