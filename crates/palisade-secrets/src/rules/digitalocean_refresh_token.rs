//! `digitalocean-refresh-token`: DigitalOcean OAuth refresh token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "digitalocean-refresh-token",
        title: "DigitalOcean OAuth refresh token",
        provider: "DigitalOcean",
        severity: High,
        related: &["digitalocean-refresh-token"],
        refs: &[],
        bad: concat!("do", "r_v1_c0ffee73581569969e58b081006f7e3dfc967a64cb14028d512c9791e558e08b"),
        good: r#"token = os.environ["DIGITALOCEAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dor_v1_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dor_v1_[a-f0-9]{64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "do",
        "r_v1_c0ffee73581569969e58b081006f7e3dfc967a64cb14028d512c9791e558e08b"
    )],
    false_positives: &["dor_v1_0000000000000000000000000000000000000000000000000000000000000000"],
    ..BASE
};
