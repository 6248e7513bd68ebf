//! `slack-config-refresh-token`: Slack app configuration refresh token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-config-refresh-token",
        title: "Slack app configuration refresh token",
        provider: "Slack",
        severity: High,
        related: &["slack-config-refresh-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xo", "xe-1-EXAMPLEG0X6Z9JM05Z2V7FKXUXET6LHSV60K7S6N6M0LDGWC0AAT9ATZGABML59R86JM0HJK76GBGEK7531DAUJPWRKCRGEWM2YBDOZC2DPPOCKLUA3T0Q5EPYO0TZ5BPFLKWYLASZ9XHV8YVZ"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxe-"],
    regex: r#"(?im)\b(xoxe-\d-[A-Z0-9]{146})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("xo", "xe-1-EXAMPLEG0X6Z9JM05Z2V7FKXUXET6LHSV60K7S6N6M0LDGWC0AAT9ATZGABML59R86JM0HJK76GBGEK7531DAUJPWRKCRGEWM2YBDOZC2DPPOCKLUA3T0Q5EPYO0TZ5BPFLKWYLASZ9XHV8YVZ"),
    ],
    false_positives: &[
        "xoxe-1-xxx",
    ],
    ..BASE
};
