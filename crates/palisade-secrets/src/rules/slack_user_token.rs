//! `slack-user-token`: Slack user token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-user-token",
        title: "Slack user token",
        provider: "Slack",
        severity: High,
        related: &["slack-user-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xo", "xp-42329394301-860855471067-243295025990-c0ffeebe23b7ac193fe0407275539800"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxp-", "xoxe-"],
    regex: r#"(?m)(xox[pe](?:-[0-9]{10,13}){3}-[a-zA-Z0-9-]{28,34})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "xo",
        "xp-42329394301-860855471067-243295025990-c0ffeebe23b7ac193fe0407275539800"
    )],
    false_positives: &[r#""t": "xoxp-9876-9876-9876-0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d""#],
    ..BASE
};
