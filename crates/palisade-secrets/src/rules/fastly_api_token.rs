//! `fastly-api-token`: Fastly API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "fastly-api-token",
        title: "Fastly API token",
        provider: "Fastly",
        severity: High,
        related: &["fastly-api-token"],
        refs: &[],
        bad: concat!("FASTLY_API_TOKEN=", "EXAMPLE9uOWyIBaPOHRu_Jk_ft2k1L2a"),
        good: r#"token = os.environ["FASTLY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fastly"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:fastly)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w=-]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "FASTLY_API_TOKEN=",
        "EXAMPLE9uOWyIBaPOHRu_Jk_ft2k1L2a"
    )],
    false_positives: &[r#"fastly_service = "x""#],
    ..BASE
};
