//! `okta-access-token`: Okta API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "okta-access-token",
        title: "Okta API token",
        provider: "Okta",
        severity: High,
        related: &["okta-access-token"],
        refs: &[],
        bad: concat!(r#""oktaApiToken": "0"#, r#"0EXAMPLEuYVoLAFzVMGui6fzb0IdiawkFawDwHEcd""#),
        good: r#"token = os.environ["OKTA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["okta"],
    regex: r#"(?im)(?:^|[^a-z])(?:okta)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:00[\w=-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 4.0,
    true_positives: &[concat!(
        r#""oktaApiToken": "0"#,
        r#"0EXAMPLEuYVoLAFzVMGui6fzb0IdiawkFawDwHEcd""#
    )],
    false_positives: &[
        "oktaKey = 0000000000000000000000000000000000000000ab",
        "brookTail = 00Zq8r3LmP0xVt7KwNa1b2c3d4e5f6g7h8i9j0k1l2",
    ],
    ..BASE
};
