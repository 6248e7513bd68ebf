//! `infracost-api-token`: Infracost API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "infracost-api-token",
        title: "Infracost API key",
        provider: "Infracost",
        severity: Medium,
        related: &["infracost-api-token"],
        refs: &[],
        bad: concat!(r#""ic"#, r#"o-EXAMPLExd7dnGb5G25T5T9nGD7jJnjjO""#),
        good: r#"token = os.environ["INFRACOST_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ico-"],
    regex: r#"(?m)(?:^|[\s\'"=:])(ico-[a-zA-Z0-9]{32})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(r#""ic"#, r#"o-EXAMPLExd7dnGb5G25T5T9nGD7jJnjjO""#)],
    false_positives: &["ico-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"],
    ..BASE
};
