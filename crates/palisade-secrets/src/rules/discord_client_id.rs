//! `discord-client-id`: Discord client ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "discord-client-id",
        title: "Discord client ID",
        provider: "Discord",
        severity: Low,
        related: &["discord-client-id"],
        refs: &[],
        bad: concat!("DISCORD_CLIENT_ID=", "104134264567242055"),
        good: r#"token = os.environ["DISCORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["discord"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:discord)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}([0-9]{18})(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 2.5,
    true_positives: &[concat!("DISCORD_CLIENT_ID=", "104134264567242055")],
    false_positives: &["discord=000000000000000000"],
    ..BASE
};
