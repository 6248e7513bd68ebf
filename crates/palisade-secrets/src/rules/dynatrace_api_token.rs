//! `dynatrace-api-token`: Dynatrace API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "dynatrace-api-token",
        title: "Dynatrace API token",
        provider: "Dynatrace",
        severity: High,
        related: &["dynatrace-api-token"],
        refs: &[],
        bad: concat!("dt0c", "01.EXAMPLE99YIQP9HR0JI7IUDK.EXAMPLEO1KF20QOJR0GD1GBSESLI0E7YT6H2P57X79M1EQYLQP0X7QED4NUA24VL"),
        good: r#"token = os.environ["DYNATRACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dt0c01."],
    regex: r#"(?m)\b(dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("dt0c", "01.EXAMPLE99YIQP9HR0JI7IUDK.EXAMPLEO1KF20QOJR0GD1GBSESLI0E7YT6H2P57X79M1EQYLQP0X7QED4NUA24VL"),
    ],
    false_positives: &[
        "dt0c01.x",
    ],
    ..BASE
};
