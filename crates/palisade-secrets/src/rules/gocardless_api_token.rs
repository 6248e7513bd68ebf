//! `gocardless-api-token`: GoCardless access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gocardless-api-token",
        title: "GoCardless access token",
        provider: "GoCardless",
        severity: High,
        related: &["gocardless-api-token"],
        refs: &[],
        bad: concat!("GOCARDLESS_TOKEN=", "live_examples01qwpyimxenvef2yz705bg33104le2z5"),
        good: r#"token = os.environ["GOCARDLESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["live_", "gocardless"],
    regex: r#"(?im)gocardless[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?(live_[a-z0-9_=-]{40})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "GOCARDLESS_TOKEN=",
        "live_examples01qwpyimxenvef2yz705bg33104le2z5"
    )],
    false_positives: &[r#"gocardless_env = "sandbox""#],
    ..BASE
};
