//! `octopus-deploy-api-key`: Octopus Deploy API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "octopus-deploy-api-key",
        title: "Octopus Deploy API key",
        provider: "Octopus Deploy",
        severity: High,
        related: &["octopus-deploy-api-key"],
        refs: &[],
        bad: concat!(r#"set apikey="AP"#, r#"I-EXAMPLE5G5L5W6QKSNO5KHF59G""#),
        good: r#"token = os.environ["OCTOPUS_DEPLOY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["api-"],
    regex: r#"(?m)\b(API-[A-Z0-9]{26})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"set apikey="AP"#,
        r#"I-EXAMPLE5G5L5W6QKSNO5KHF59G""#
    )],
    false_positives: &[r#"msgid "KRBGSSAPI-AUTHENTICATIONFAILEDHERE1.""#],
    ..BASE
};
