//! `discord-bot-token`: Discord bot token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "discord-bot-token",
        title: "Discord bot token",
        provider: "Discord",
        severity: High,
        related: &["discord-api-token"],
        refs: &[],
        bad: concat!("DISCORD_TOKEN=", "MTEXAMPLEqM5CLxIpzMGni3W.EXAMPL.EXAMPLEplIXdsNbXlwDPyniUMyi"),
        good: r#"token = os.environ["DISCORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["discord"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:discord)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9_-]{24,26}\.[a-zA-Z0-9_-]{6}\.[a-zA-Z0-9_-]{27,38}|[a-f0-9]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "DISCORD_TOKEN=",
        "MTEXAMPLEqM5CLxIpzMGni3W.EXAMPL.EXAMPLEplIXdsNbXlwDPyniUMyi"
    )],
    false_positives: &[r#"discord_token = """#],
    ..BASE
};
