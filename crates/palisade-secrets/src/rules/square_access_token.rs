//! `square-access-token`: Square access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "square-access-token",
        title: "Square access token",
        provider: "Square",
        severity: Critical,
        related: &["square-access-token"],
        refs: &[],
        bad: concat!("sq0a", "tp-EXAMPLEUf4x3rMdotbrMtT"),
        good: r#"token = os.environ["SQUARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sq0atp-", "eaaa"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(EAAA[\w-]{60}|sq0atp-[\w-]{22})(?:[^\w\\-]|$)"#,
    entropy: 2.0,
    true_positives: &[
        concat!("sq0a", "tp-EXAMPLEUf4x3rMdotbrMtT"),
        concat!(
            "EA",
            "AAEXAMPLEmv7Yl1RYQeEzberD3ncgOiop_r2awCsoT-jSBCjIwbHIifzg0UIbP"
        ),
    ],
    false_positives: &[
        "alpine@sha256:eaaa0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
    ],
    ..BASE
};
