//! DigitalOcean rules.

use crate::rule::{SecretRule, BASE};

pub static DO_PAT: SecretRule = SecretRule {
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

pub static DO_OAUTH: SecretRule = SecretRule {
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

pub static DO_REFRESH: SecretRule = SecretRule {
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
