//! `coinbase-access-token`: Coinbase access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "coinbase-access-token",
        title: "Coinbase access token",
        provider: "Coinbase",
        severity: High,
        related: &["coinbase-access-token"],
        refs: &[],
        bad: concat!("COINBASE_TOKEN=", "examplei6aomz8cs9vy3hfoeag5fn3dmv4d90i0djuvm7al8r7qfuyqt9z60dttp"),
        good: r#"token = os.environ["COINBASE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["coinbase"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:coinbase)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "COINBASE_TOKEN=",
        "examplei6aomz8cs9vy3hfoeag5fn3dmv4d90i0djuvm7al8r7qfuyqt9z60dttp"
    )],
    false_positives: &[r#"coinbase_env = "x""#],
    ..BASE
};
