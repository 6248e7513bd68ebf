//! `mattermost-access-token`: Mattermost access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mattermost-access-token",
        title: "Mattermost access token",
        provider: "Mattermost",
        severity: High,
        related: &["mattermost-access-token"],
        refs: &[],
        bad: concat!("MATTERMOST_TOKEN=", "example2zfc24mnxac61jsed60"),
        good: r#"token = os.environ["MATTERMOST_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["mattermost"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:mattermost)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{26}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("MATTERMOST_TOKEN=", "example2zfc24mnxac61jsed60")],
    false_positives: &[r#"mattermost_url = "x""#],
    ..BASE
};
