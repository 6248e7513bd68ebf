//! `harness-api-key`: Harness API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "harness-api-key",
        title: "Harness API key",
        provider: "Harness",
        severity: High,
        related: &["harness-api-key"],
        refs: &[],
        bad: concat!("pa", "t.EXAMPLEOR2HcSGKgVP8Kd0.EXAMPLEbBHXgwETdIKnT30fK.EXAMPLE0skBaHmsWWdaw"),
        good: r#"token = os.environ["HARNESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pat.", "sat."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])((?:pat|sat)\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pa",
        "t.EXAMPLEOR2HcSGKgVP8Kd0.EXAMPLEbBHXgwETdIKnT30fK.EXAMPLE0skBaHmsWWdaw"
    )],
    false_positives: &["pat.abc"],
    ..BASE
};
