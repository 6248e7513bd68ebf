//! `prefect-api-token`: Prefect API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "prefect-api-token",
        title: "Prefect API key",
        provider: "Prefect",
        severity: High,
        related: &["prefect-api-token"],
        refs: &[],
        bad: concat!("pn", "u_EXAMPLEPEn5jOaBaaRQh92fn3hiEbrUKpCUV"),
        good: r#"token = os.environ["PREFECT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pnu_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pnu_[a-zA-Z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("pn", "u_EXAMPLEPEn5jOaBaaRQh92fn3hiEbrUKpCUV")],
    false_positives: &[r#"prefect_key: pnu_YYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY"#],
    ..BASE
};
