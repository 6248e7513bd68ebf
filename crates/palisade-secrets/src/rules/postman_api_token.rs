//! `postman-api-token`: Postman API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "postman-api-token",
        title: "Postman API key",
        provider: "Postman",
        severity: High,
        related: &["postman-api-token"],
        refs: &[],
        bad: concat!("PM", "AK-c0ffee51b429fe8110102c99-c0ffee5f1abef543b5dfce8a981a049d7c"),
        good: r#"token = os.environ["POSTMAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pmak-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(PMAK-[a-f0-9]{24}-[a-f0-9]{34})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "PM",
        "AK-c0ffee51b429fe8110102c99-c0ffee5f1abef543b5dfce8a981a049d7c"
    )],
    false_positives: &["PMAK-x"],
    ..BASE
};
