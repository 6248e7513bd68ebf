//! `privateai-api-token`: Private AI API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "privateai-api-token",
        title: "Private AI API key",
        provider: "Private AI",
        severity: Medium,
        related: &["privateai-api-token"],
        refs: &[],
        bad: concat!("PRIVATEAI_API_KEY=", "exampleygk2k4urpa08bvo8wvapvf8kg"),
        good: r#"token = os.environ["PRIVATE_AI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["privateai", "private_ai", "private-ai"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:private[_-]?ai)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "PRIVATEAI_API_KEY=",
        "exampleygk2k4urpa08bvo8wvapvf8kg"
    )],
    false_positives: &[r#"PRIVATEAI_API_KEY = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb""#],
    ..BASE
};
