//! `algolia-api-key`: Algolia admin API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "algolia-api-key",
        title: "Algolia admin API key",
        provider: "Algolia",
        severity: Medium,
        related: &["algolia-api-key"],
        refs: &[],
        bad: concat!("ALGOLIA_ADMIN_KEY=", "examplempwgqrwh4synu1atqi99iksg1"),
        good: r#"token = os.environ["ALGOLIA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["algolia"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:algolia)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ALGOLIA_ADMIN_KEY=",
        "examplempwgqrwh4synu1atqi99iksg1"
    )],
    false_positives: &[r#"algolia_index = "x""#],
    ..BASE
};
