//! `discord-client-secret`: Discord client secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "discord-client-secret",
        title: "Discord client secret",
        provider: "Discord",
        severity: High,
        related: &["discord-client-secret"],
        refs: &[],
        bad: concat!("DISCORD_CLIENT_SECRET=", "EXAMPLE0d7FZTmxLoICfZfu3zMtWfNwD"),
        good: r#"token = os.environ["DISCORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["discord"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:discord)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9=_-]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "DISCORD_CLIENT_SECRET=",
        "EXAMPLE0d7FZTmxLoICfZfu3zMtWfNwD"
    )],
    false_positives: &["discord=00000000000000000000000000000000"],
    ..BASE
};
