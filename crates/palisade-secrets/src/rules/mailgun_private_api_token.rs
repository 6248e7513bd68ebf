//! `mailgun-private-api-token`: Mailgun private API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mailgun-private-api-token",
        title: "Mailgun private API key",
        provider: "Mailgun",
        severity: High,
        related: &["mailgun-private-api-token", "mailgun-pub-key", "mailgun-signing-key"],
        refs: &[],
        bad: concat!("MAILGUN_API_KEY=", "key-c0ffee48c828b4136d3b97429ab7bca1"),
        good: r#"token = os.environ["MAILGUN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["mailgun"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:mailgun)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:key-[a-f0-9]{32}|pubkey-[a-f0-9]{32}|[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "MAILGUN_API_KEY=",
        "key-c0ffee48c828b4136d3b97429ab7bca1"
    )],
    false_positives: &[r#"mailgun_domain = "x""#],
    ..BASE
};
