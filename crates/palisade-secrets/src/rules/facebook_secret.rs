//! `facebook-secret`: Facebook app secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-secret",
        title: "Facebook app secret",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-secret"],
        refs: &[],
        bad: concat!(r#"facebook_app_secret = ""#, r#"c0ffeec5bb4bb84554433593fde017d4""#),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["facebook"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:facebook)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"facebook_app_secret = ""#,
        r#"c0ffeec5bb4bb84554433593fde017d4""#
    )],
    false_positives: &[r#"facebook_page = "acme""#],
    ..BASE
};
