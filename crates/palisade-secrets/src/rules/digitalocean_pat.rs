//! `digitalocean-pat`: DigitalOcean personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "digitalocean-pat",
        title: "DigitalOcean personal access token",
        provider: "DigitalOcean",
        severity: Critical,
        related: &["digitalocean-pat"],
        refs: &[],
        bad: concat!("do", "p_v1_c0ffee440e50454f31af3176813e02ea68ef786e4d3cea27d26934b484e73cf5"),
        good: r#"token = os.environ["DIGITALOCEAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dop_v1_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dop_v1_[a-f0-9]{64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "do",
        "p_v1_c0ffee440e50454f31af3176813e02ea68ef786e4d3cea27d26934b484e73cf5"
    )],
    false_positives: &["dop_v1_0000000000000000000000000000000000000000000000000000000000000000"],
    ..BASE
};
