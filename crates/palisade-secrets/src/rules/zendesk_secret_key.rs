//! `zendesk-secret-key`: Zendesk API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "zendesk-secret-key",
        title: "Zendesk API token",
        provider: "Zendesk",
        severity: High,
        related: &["zendesk-secret-key"],
        refs: &[],
        bad: concat!("ZENDESK_API_TOKEN=", "examplewx1w89jvoq4ct939rx77riqa94gxjozfb"),
        good: r#"token = os.environ["ZENDESK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["zendesk"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:zendesk)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ZENDESK_API_TOKEN=",
        "examplewx1w89jvoq4ct939rx77riqa94gxjozfb"
    )],
    false_positives: &[r#"zendesk_url = "x""#],
    ..BASE
};
