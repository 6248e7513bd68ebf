//! Slack rules.

use crate::rule::{SecretRule, BASE};

pub static SLACK_BOT: SecretRule = SecretRule {
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

pub static SLACK_USER: SecretRule = SecretRule {
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

pub static SLACK_APP: SecretRule = SecretRule {
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

pub static SLACK_CONFIG_ACCESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-config-access-token",
        title: "Slack app configuration access token",
        provider: "Slack",
        severity: High,
        related: &["slack-config-access-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xoxe.", "xoxp-1-EXAMPLEH7A1PCSHTWKHD6RF38J2H6IS0SRPF8S3OYM9X39T44TBPVOM68YZAWKPU9U5RSNSDBK9EW2D7Y2WG7OJ0VWIMR7G4RI0GA09H5ZJ0RHY23SWSWZ79YUA5Y2TL8TJ1YOFVUPUN1ABDQ5T8T81771Y3WCW2AE7O"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxe.xox"],
    regex: r#"(?im)(xoxe\.xox[bp]-\d-[A-Z0-9]{163,166})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("xoxe.", "xoxp-1-EXAMPLEH7A1PCSHTWKHD6RF38J2H6IS0SRPF8S3OYM9X39T44TBPVOM68YZAWKPU9U5RSNSDBK9EW2D7Y2WG7OJ0VWIMR7G4RI0GA09H5ZJ0RHY23SWSWZ79YUA5Y2TL8TJ1YOFVUPUN1ABDQ5T8T81771Y3WCW2AE7O"),
    ],
    false_positives: &[
        "xoxe.xoxp-1-PasteYourConfigTokenHere",
        "xoxe.xoxp-1-pending",
    ],
    ..BASE
};

pub static SLACK_CONFIG_REFRESH: SecretRule = SecretRule {
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

pub static SLACK_LEGACY: SecretRule = SecretRule {
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

pub static SLACK_WEBHOOK: SecretRule = SecretRule {
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
