//! `easypost-api-token`: EasyPost API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "easypost-api-token",
        title: "EasyPost API key",
        provider: "EasyPost",
        severity: High,
        related: &["easypost-api-token", "easypost-test-api-token"],
        refs: &[],
        bad: concat!("EZ", "AKEXAMPLERhJuz4k6i5EEF7rKxgJFWLvkv4gxy9hiFLs9vyKJluXbunD"),
        good: r#"token = os.environ["EASYPOST_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ezak", "eztk"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9+/])((?:EZAK|EZTK)[a-zA-Z0-9]{54})(?:[^A-Za-z0-9+/]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("EZ", "AKEXAMPLERhJuz4k6i5EEF7rKxgJFWLvkv4gxy9hiFLs9vyKJluXbunD"),
    ],
    false_positives: &[
        "...kQ9dPz3/Lm+EZAKr7Tq2Wx9Vb4Nc6Md8Fe0Gh1Jk3Lp5Qs7Rt9Uv2Wy4Xz6Ab8Cd0Ef2Gh4Jk6Lm8Np0Qr/Zx1c...",
    ],
    ..BASE
};
