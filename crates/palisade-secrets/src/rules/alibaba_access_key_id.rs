//! `alibaba-access-key-id`: Alibaba Cloud AccessKey ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "alibaba-access-key-id",
        title: "Alibaba Cloud AccessKey ID",
        provider: "Alibaba Cloud",
        severity: High,
        related: &["alibaba-access-key-id"],
        refs: &[],
        bad: concat!("key_id = LT", "AIEXAMPLE7iB3m03nbqnsG"),
        good: r#"token = os.environ["ALIBABA_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ltai"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(LTAI[A-Za-z0-9]{20})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("key_id = LT", "AIEXAMPLE7iB3m03nbqnsG")],
    false_positives: &["LTAIXXXXXXXXXXXXXXXXXXXX"],
    ..BASE
};
