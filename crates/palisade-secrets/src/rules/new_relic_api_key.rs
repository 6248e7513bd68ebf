//! `new-relic-api-key`: New Relic API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "new-relic-api-key",
        title: "New Relic API key",
        provider: "New Relic",
        severity: High,
        related: &["new-relic-user-api-key", "new-relic-insert-key", "new-relic-browser-api-token", "new-relic-user-api-id"],
        refs: &[],
        bad: concat!("NR", "AK-EXAMPLEEE8AEXEJ9H56R2LGQTZ0"),
        good: r#"token = os.environ["NEW_RELIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["nrak-", "nrii-", "nrjs-"],
    regex: r#"(?m)\b(NRAK-[a-zA-Z0-9]{27}|NRII-[a-zA-Z0-9_-]{32}|NRJS-[a-f0-9]{19})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("NR", "AK-EXAMPLEEE8AEXEJ9H56R2LGQTZ0")],
    false_positives: &["NRAK-x"],
    ..BASE
};
