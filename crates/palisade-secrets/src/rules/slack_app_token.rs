//! `slack-app-token`: Slack app-level token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-app-token",
        title: "Slack app-level token",
        provider: "Slack",
        severity: High,
        related: &["slack-app-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xa", "pp-1-A0EXAMPLEGM-4099783715120-c0ffee83ef8333c4774ec50cd1c1bac7adac1a4b7d0b352ad6074dce11188138"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xapp-"],
    regex: r#"(?im)(xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+)\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("xa", "pp-1-A0EXAMPLEGM-4099783715120-c0ffee83ef8333c4774ec50cd1c1bac7adac1a4b7d0b352ad6074dce11188138"),
    ],
    false_positives: &[
        "xapp-x",
    ],
    ..BASE
};
