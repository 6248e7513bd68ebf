//! `slack-legacy-token`: Slack legacy or workspace token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-legacy-token",
        title: "Slack legacy or workspace token",
        provider: "Slack",
        severity: High,
        related: &["slack-legacy-token", "slack-legacy-workspace-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xo", "xs-1165836374-5360405232-1348287732-c0ffeebb6c"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxo-", "xoxs-", "xoxa-", "xoxr-"],
    regex: r#"(?m)(xox[os]-\d+-\d+-\d+-[a-fA-F\d]+|xox[ar]-(?:\d-)?[0-9a-zA-Z]{8,48}(?:-[0-9a-zA-Z]{8,48})*)\b"#,
    entropy: 2.0,
    true_positives: &[concat!(
        "xo",
        "xs-1165836374-5360405232-1348287732-c0ffeebb6c"
    )],
    false_positives: &[
        "https://example.org/photos/2019-xoxo-festival-2.jpg",
        "https://example.com/xoxa-labs/xoxa-labs.github.io",
    ],
    ..BASE
};
