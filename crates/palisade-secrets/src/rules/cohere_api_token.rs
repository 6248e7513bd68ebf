//! `cohere-api-token`: Cohere API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cohere-api-token",
        title: "Cohere API key",
        provider: "Cohere",
        severity: High,
        related: &["cohere-api-token"],
        refs: &[],
        bad: concat!("CO_API_KEY=", "EXAMPLEnQBhNfIHwRgfUp242gfxrttWsjFMKvXma"),
        good: r#"token = os.environ["COHERE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cohere", "co_api_key"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:cohere|co_api_key)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "CO_API_KEY=",
        "EXAMPLEnQBhNfIHwRgfUp242gfxrttWsjFMKvXma"
    )],
    false_positives: &["CO_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
