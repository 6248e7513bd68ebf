//! `netlify-access-token`: Netlify access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "netlify-access-token",
        title: "Netlify access token",
        provider: "Netlify",
        severity: High,
        related: &["netlify-access-token"],
        refs: &[],
        bad: concat!("NETLIFY_AUTH_TOKEN=", "EXAMPLE0G5D9dwvxtSh5e4b54cRYsgs-wXuaaU1yW0Q"),
        good: r#"token = os.environ["NETLIFY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["netlify"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:netlify)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w=-]{40,46}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "NETLIFY_AUTH_TOKEN=",
        "EXAMPLE0G5D9dwvxtSh5e4b54cRYsgs-wXuaaU1yW0Q"
    )],
    false_positives: &[r#"netlify_site = "x""#],
    ..BASE
};
