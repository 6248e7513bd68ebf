//! `microsoft-teams-webhook`: Microsoft Teams incoming webhook URL.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "microsoft-teams-webhook",
        title: "Microsoft Teams incoming webhook URL",
        provider: "Microsoft Teams",
        severity: Medium,
        related: &["microsoft-teams-webhook"],
        refs: &[],
        bad: concat!("https://acme.webhook.office", ".com/webhookb2/c0ffeefd-c0ff-c0ff-c0ff-c0ffeef6a0b2@c0ffee98-c0ff-c0ff-c0ff-c0ffee72400c/IncomingWebhook/c0ffee49b5539ac5ba7b4b87113c16fd/c0ffeef5-c0ff-c0ff-c0ff-c0ffee924754"),
        good: r#"token = os.environ["MICROSOFT_TEAMS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["webhook.office.com"],
    regex: r#"(?m)(https://[a-z0-9-]+\.webhook\.office\.com/webhookb2/[a-z0-9-]{36}@[a-z0-9-]{36}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9-]{36})"#,
    true_positives: &[
        concat!("https://acme.webhook.office", ".com/webhookb2/c0ffeefd-c0ff-c0ff-c0ff-c0ffeef6a0b2@c0ffee98-c0ff-c0ff-c0ff-c0ffee72400c/IncomingWebhook/c0ffee49b5539ac5ba7b4b87113c16fd/c0ffeef5-c0ff-c0ff-c0ff-c0ffee924754"),
    ],
    false_positives: &[
        "https://acme.webhook.office.com/webhookb2/",
    ],
    ..BASE
};
