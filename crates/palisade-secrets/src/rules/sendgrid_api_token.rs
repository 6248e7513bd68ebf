//! `sendgrid-api-token`: SendGrid API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sendgrid-api-token",
        title: "SendGrid API key",
        provider: "SendGrid",
        severity: High,
        related: &["sendgrid-api-token"],
        refs: &[],
        bad: concat!("SG", ".EXAMPLECok0j4ron6Yvy8l.EXAMPLErVhZEgVfbB6Mpr2lzoTvURbGpEVT_fTmTPoe"),
        good: r#"token = os.environ["SENDGRID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sg."],
    regex: r#"(?m)\b(SG\.[a-zA-Z0-9=_-]{22}\.[a-zA-Z0-9=_-]{43})(?:[^a-zA-Z0-9=_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "SG",
        ".EXAMPLECok0j4ron6Yvy8l.EXAMPLErVhZEgVfbB6Mpr2lzoTvURbGpEVT_fTmTPoe"
    )],
    false_positives: &["SG.x.y"],
    ..BASE
};
