//! `discord-webhook-url`: Discord webhook URL.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "discord-webhook-url",
        title: "Discord webhook URL",
        provider: "Discord",
        severity: Medium,
        related: &[],
        refs: &[],
        bad: concat!("https://discord", ".com/api/webhooks/1978469501409903105/EXAMPLEASl1YCJlS24R5gA2q_yfHwuEHFhvTS0lzNrr_9EEa4rSMrsEQp2vt7ZAoLbU_"),
        good: r#"token = os.environ["DISCORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["discord"],
    regex: r#"(?m)https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/([A-Za-z0-9_-]{60,68})"#,
    entropy: 3.0,
    true_positives: &[
        concat!("https://discord", ".com/api/webhooks/1978469501409903105/EXAMPLEASl1YCJlS24R5gA2q_yfHwuEHFhvTS0lzNrr_9EEa4rSMrsEQp2vt7ZAoLbU_"),
    ],
    false_positives: &[
        "https://discord.com/api/webhooks/123/abc",
    ],
    ..BASE
};
