//! `twitter-api-secret`: X (Twitter) API key, secret or access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twitter-api-secret",
        title: "X (Twitter) API key, secret or access token",
        provider: "X (Twitter)",
        severity: High,
        related: &["twitter-api-key", "twitter-api-secret", "twitter-access-token", "twitter-access-secret"],
        refs: &[],
        bad: concat!("TWITTER_API_SECRET=", "EXAMPLE51ogn7hrL4VG9uR9yzSbeM1SBh1V5rGjBx3Qb9bdBNI"),
        good: r#"token = os.environ["X_(TWITTER)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["twitter"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:twitter)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{25}|[a-zA-Z0-9]{45,50}|[0-9]{15,25}-[a-zA-Z0-9]{20,40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "TWITTER_API_SECRET=",
        "EXAMPLE51ogn7hrL4VG9uR9yzSbeM1SBh1V5rGjBx3Qb9bdBNI"
    )],
    false_positives: &[r#"twitter_handle = "acme""#],
    ..BASE
};
