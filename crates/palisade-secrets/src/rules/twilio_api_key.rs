//! `twilio-api-key`: Twilio API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twilio-api-key",
        title: "Twilio API key",
        provider: "Twilio",
        severity: High,
        related: &["twilio-api-key"],
        refs: &[],
        bad: concat!("SK", "c0ffee067e24bdb7ec83756378368f7e"),
        good: r#"token = os.environ["TWILIO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk"],
    regex: r#"(?m)\b(SK[0-9a-fA-F]{32})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("SK", "c0ffee067e24bdb7ec83756378368f7e")],
    false_positives: &["SK00000000000000000000000000000000"],
    ..BASE
};
