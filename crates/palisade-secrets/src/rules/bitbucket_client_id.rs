//! `bitbucket-client-id`: Bitbucket OAuth client ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "bitbucket-client-id",
        title: "Bitbucket OAuth client ID",
        provider: "Bitbucket",
        severity: Medium,
        related: &["bitbucket-client-id"],
        refs: &[],
        bad: concat!("BITBUCKET_CLIENT_ID=", "EXAMPLEk7egyFWZY9Zmti18c6EudM7Oy"),
        good: r#"token = os.environ["BITBUCKET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["bitbucket"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:bitbucket)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "BITBUCKET_CLIENT_ID=",
        "EXAMPLEk7egyFWZY9Zmti18c6EudM7Oy"
    )],
    false_positives: &[r#"bitbucket_url = "https://bitbucket.org""#],
    ..BASE
};
