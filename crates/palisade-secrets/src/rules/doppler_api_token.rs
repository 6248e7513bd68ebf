//! `doppler-api-token`: Doppler API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "doppler-api-token",
        title: "Doppler API token",
        provider: "Doppler",
        severity: High,
        related: &["doppler-api-token"],
        refs: &[],
        bad: concat!("dp", ".pt.EXAMPLEIKdztgacm06EMXQdYG6INyNjORSSM4RfncQO"),
        good: r#"token = os.environ["DOPPLER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dp.pt."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dp\.pt\.[a-zA-Z0-9]{43})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "dp",
        ".pt.EXAMPLEIKdztgacm06EMXQdYG6INyNjORSSM4RfncQO"
    )],
    false_positives: &["dp.pt.x"],
    ..BASE
};
