//! `slack-webhook-url`: Slack incoming webhook URL.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-webhook-url",
        title: "Slack incoming webhook URL",
        provider: "Slack",
        severity: High,
        related: &["slack-webhook-url"],
        refs: &["https://api.slack.com/messaging/webhooks"],
        bad: concat!("https://hooks.slack", ".com/services/T0EXAMPLE/B0EXAMPLE/EXAMPLEyO9Lnt8EGno2CRi8T"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hooks.slack.com"],
    regex: r#"(?m)(?:https?://)?hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9+/]{43,56}|[A-Z0-9]{8,12}/[A-Z0-9]{8,12}/(?:[0-9]{15,20}/)?[A-Za-z0-9]{24})"#,
    true_positives: &[concat!(
        "https://hooks.slack",
        ".com/services/T0EXAMPLE/B0EXAMPLE/EXAMPLEyO9Lnt8EGno2CRi8T"
    )],
    false_positives: &["https://hooks.slack.com/services/T000/B000/XXX"],
    ..BASE
};
