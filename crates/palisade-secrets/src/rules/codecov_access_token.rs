//! `codecov-access-token`: Codecov upload token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "codecov-access-token",
        title: "Codecov upload token",
        provider: "Codecov",
        severity: Medium,
        related: &["codecov-access-token"],
        refs: &[],
        bad: concat!("CODECOV_TOKEN=", "7d3e91a2-4b8f-4c61-9e05-b2f8a6c41d97"),
        good: r#"token = os.environ["CODECOV_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["codecov"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:codecov)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CODECOV_TOKEN=",
        "7d3e91a2-4b8f-4c61-9e05-b2f8a6c41d97"
    )],
    false_positives: &[r#"codecov_token = """#],
    ..BASE
};
