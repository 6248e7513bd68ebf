//! `telegram-bot-api-token`: Telegram bot token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "telegram-bot-api-token",
        title: "Telegram bot token",
        provider: "Telegram",
        severity: High,
        related: &["telegram-bot-api-token"],
        refs: &["https://core.telegram.org/bots/api#authorizing-your-bot"],
        bad: concat!(r#"bot_token = "1234567"#, r#"89:AAEXAMPLEAfhJMzoN5ouP47ULvjfb7_kQHn""#),
        good: r#"token = os.environ["TELEGRAM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[":aa"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])([0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:[^0-9A-Za-z_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"bot_token = "1234567"#,
        r#"89:AAEXAMPLEAfhJMzoN5ouP47ULvjfb7_kQHn""#
    )],
    false_positives: &["time 12345678:AAA"],
    ..BASE
};
