//! `contentful-delivery-api-token`: Contentful delivery API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "contentful-delivery-api-token",
        title: "Contentful delivery API token",
        provider: "Contentful",
        severity: Medium,
        related: &["contentful-delivery-api-token"],
        refs: &[],
        bad: concat!("CONTENTFUL_TOKEN=", "example5gbm2cg81ntolwxg4ektjq9gddmpnfqqfq5l"),
        good: r#"token = os.environ["CONTENTFUL_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["contentful"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:contentful)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9=_-]{43}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CONTENTFUL_TOKEN=",
        "example5gbm2cg81ntolwxg4ektjq9gddmpnfqqfq5l"
    )],
    false_positives: &[r#"contentful_space = "x""#],
    ..BASE
};
