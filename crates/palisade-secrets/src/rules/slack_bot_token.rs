//! `slack-bot-token`: Slack bot token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-bot-token",
        title: "Slack bot token",
        provider: "Slack",
        severity: High,
        related: &["slack-bot-token", "slack-legacy-bot-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xo", "xb-577128038741-4356433164620-EXAMPLE1UsjObCZGvGiCaY18"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxb-"],
    regex: r#"(?m)(xoxb-[0-9]{8,14}-(?:[0-9]{10,14}-)?[a-zA-Z0-9]{18,34})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!(
            "xo",
            "xb-577128038741-4356433164620-EXAMPLE1UsjObCZGvGiCaY18"
        ),
        concat!("xo", "xb-842560634922-EXAMPLE1lHXoTlmMf1f4MUFW"),
    ],
    false_positives: &[
        "xoxb-xxxxxxxxx-xxxxxxxxxx-xxxxxxxxxxxx",
        "xoxb-98765-wxyz321",
    ],
    ..BASE
};
