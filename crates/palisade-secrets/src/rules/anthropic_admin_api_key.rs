//! `anthropic-admin-api-key`: Anthropic Admin API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "anthropic-admin-api-key",
        title: "Anthropic Admin API key",
        provider: "Anthropic",
        severity: Critical,
        related: &["anthropic-admin-api-key"],
        refs: &[],
        bad: concat!("sk-ant-", "admin01-EXAMPLEbHTuOTNnfwT1d6nRntU8_kRO8qnGXATGcyJ3Xu3rrboBWdbl7fAjPR7_AaFATWnmqz464ig8vZE88sp-WiEDaYAA"),
        good: r#"token = os.environ["ANTHROPIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk-ant-admin01"],
    regex: r#"(?m)\b(sk-ant-admin01-[a-zA-Z0-9_-]{93}AA)(?:[^a-zA-Z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sk-ant-", "admin01-EXAMPLEbHTuOTNnfwT1d6nRntU8_kRO8qnGXATGcyJ3Xu3rrboBWdbl7fAjPR7_AaFATWnmqz464ig8vZE88sp-WiEDaYAA"),
    ],
    false_positives: &[
        "sk-ant-admin01-abc",
    ],
    ..BASE
};
