//! `digitalocean-oauth-token`: DigitalOcean OAuth token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "digitalocean-oauth-token",
        title: "DigitalOcean OAuth token",
        provider: "DigitalOcean",
        severity: Critical,
        related: &["digitalocean-access-token"],
        refs: &[],
        bad: concat!("do", "o_v1_c0ffee75dcad6ba2b0aee0ca923732881584d8c4fa2815d2802827283e0ad841"),
        good: r#"token = os.environ["DIGITALOCEAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["doo_v1_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(doo_v1_[a-f0-9]{64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "do",
        "o_v1_c0ffee75dcad6ba2b0aee0ca923732881584d8c4fa2815d2802827283e0ad841"
    )],
    false_positives: &["doo_v1_0000000000000000000000000000000000000000000000000000000000000000"],
    ..BASE
};
