//! Discord rules.

use crate::rule::{SecretRule, BASE};

pub static DISCORD_BOT: SecretRule = SecretRule {
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

pub static DISCORD_CLIENT_ID: SecretRule = SecretRule {
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

pub static DISCORD_CLIENT_SECRET: SecretRule = SecretRule {
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

pub static DISCORD_WEBHOOK: SecretRule = SecretRule {
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

pub static TELEGRAM: SecretRule = SecretRule {
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

pub static TEAMS_WEBHOOK: SecretRule = SecretRule {
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

pub static MATTERMOST: SecretRule = SecretRule {
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

pub static GITTER: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitter-access-token",
        title: "Gitter access token",
        provider: "Gitter",
        severity: Medium,
        related: &["gitter-access-token"],
        refs: &[],
        bad: concat!("GITTER_TOKEN=", "exampleve2alkysa2wm4f8u7318jzfdvt0x4itv7"),
        good: r#"token = os.environ["GITTER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["gitter"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:gitter)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "GITTER_TOKEN=",
        "exampleve2alkysa2wm4f8u7318jzfdvt0x4itv7"
    )],
    false_positives: &[r#"gitter_room = "x""#],
    ..BASE
};

pub static TWILIO: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twilio-api-key",
        title: "Twilio API key",
        provider: "Twilio",
        severity: High,
        related: &["twilio-api-key"],
        refs: &[],
        bad: concat!("SK", "c0ffee067e24bdb7ec83756378368f7e"),
        good: r#"token = os.environ["TWILIO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk"],
    regex: r#"(?m)\b(SK[0-9a-fA-F]{32})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("SK", "c0ffee067e24bdb7ec83756378368f7e")],
    false_positives: &["SK00000000000000000000000000000000"],
    ..BASE
};

pub static SENDGRID: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sendgrid-api-token",
        title: "SendGrid API key",
        provider: "SendGrid",
        severity: High,
        related: &["sendgrid-api-token"],
        refs: &[],
        bad: concat!("SG", ".EXAMPLECok0j4ron6Yvy8l.EXAMPLErVhZEgVfbB6Mpr2lzoTvURbGpEVT_fTmTPoe"),
        good: r#"token = os.environ["SENDGRID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sg."],
    regex: r#"(?m)\b(SG\.[a-zA-Z0-9=_-]{22}\.[a-zA-Z0-9=_-]{43})(?:[^a-zA-Z0-9=_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "SG",
        ".EXAMPLECok0j4ron6Yvy8l.EXAMPLErVhZEgVfbB6Mpr2lzoTvURbGpEVT_fTmTPoe"
    )],
    false_positives: &["SG.x.y"],
    ..BASE
};

pub static SENDINBLUE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sendinblue-api-token",
        title: "Brevo (Sendinblue) API key",
        provider: "Brevo",
        severity: High,
        related: &["sendinblue-api-token"],
        refs: &[],
        bad: concat!("xkey", "sib-c0ffee78b6e0e30f328549c488e00a4ff1125cf5ec72ba694165beaecba0afa7-EXAMPLEbpD4McOjU"),
        good: r#"token = os.environ["BREVO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xkeysib-"],
    regex: r#"(?m)\b(xkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "xkey",
        "sib-c0ffee78b6e0e30f328549c488e00a4ff1125cf5ec72ba694165beaecba0afa7-EXAMPLEbpD4McOjU"
    )],
    false_positives: &["xkeysib-x"],
    ..BASE
};

pub static MAILGUN_PRIVATE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mailgun-private-api-token",
        title: "Mailgun private API key",
        provider: "Mailgun",
        severity: High,
        related: &["mailgun-private-api-token", "mailgun-pub-key", "mailgun-signing-key"],
        refs: &[],
        bad: concat!("MAILGUN_API_KEY=", "key-c0ffee48c828b4136d3b97429ab7bca1"),
        good: r#"token = os.environ["MAILGUN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["mailgun"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:mailgun)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:key-[a-f0-9]{32}|pubkey-[a-f0-9]{32}|[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "MAILGUN_API_KEY=",
        "key-c0ffee48c828b4136d3b97429ab7bca1"
    )],
    false_positives: &[r#"mailgun_domain = "x""#],
    ..BASE
};

pub static MAILCHIMP: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mailchimp-api-key",
        title: "Mailchimp API key",
        provider: "Mailchimp",
        severity: High,
        related: &["mailchimp-api-key"],
        refs: &[],
        bad: concat!("mailchimp_api_key: ", "c0ffeeaafb77b4460ecec9524998a262-us18"),
        good: r#"token = os.environ["MAILCHIMP_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["mailchimp"],
    regex: r#"(?im)mailchimp[\w.-]{0,20}\s*[\'"]?\s*(?::{1,3}=|=>|=|:)\s*[\'"]?(?-i:([0-9a-f]{32}-us[0-9]{1,2}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "mailchimp_api_key: ",
        "c0ffeeaafb77b4460ecec9524998a262-us18"
    )],
    false_positives: &["MailchimpClient.configure(apiKey: 9b2e4f6a8c0d1e3f5a7b9c1d3e5f7a9b-us6)"],
    ..BASE
};

pub static MESSAGEBIRD_TOKEN: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "messagebird-api-token",
        title: "MessageBird API token",
        provider: "MessageBird",
        severity: High,
        related: &["messagebird-api-token"],
        refs: &[],
        bad: concat!("MESSAGEBIRD_API_KEY=", "EXAMPLELltLwDwXSBU37e1Fu5"),
        good: r#"token = os.environ["MESSAGEBIRD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["messagebird", "message-bird", "message_bird"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:message[_-]?bird)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{25}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("MESSAGEBIRD_API_KEY=", "EXAMPLELltLwDwXSBU37e1Fu5")],
    false_positives: &[r#"messagebird_api_key = """#],
    ..BASE
};

pub static MESSAGEBIRD_CLIENT: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "messagebird-client-id",
        title: "MessageBird client ID",
        provider: "MessageBird",
        severity: Low,
        related: &["messagebird-client-id"],
        refs: &[],
        bad: concat!(r#"MESSAGEBIRD_CLIENT_ID = ""#, r#"c0ffee58-c0ff-c0ff-c0ff-c0ffee805870""#),
        good: r#"token = os.environ["MESSAGEBIRD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["messagebird", "message-bird", "message_bird"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:message[_-]?bird)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"MESSAGEBIRD_CLIENT_ID = ""#,
        r#"c0ffee58-c0ff-c0ff-c0ff-c0ffee805870""#
    )],
    false_positives: &[r#"messagebird_client_id = """#],
    ..BASE
};

pub static INTERCOM: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "intercom-api-key",
        title: "Intercom access token",
        provider: "Intercom",
        severity: High,
        related: &["intercom-api-key"],
        refs: &[],
        bad: concat!("INTERCOM_TOKEN=", "EXAMPLEBgZ5zKmzEhqgkjRrayIbPdBPPd_ZRwh1flQ-ZG7bdOOh1QulctAsl"),
        good: r#"token = os.environ["INTERCOM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["intercom"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:intercom)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9=_-]{60}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "INTERCOM_TOKEN=",
        "EXAMPLEBgZ5zKmzEhqgkjRrayIbPdBPPd_ZRwh1flQ-ZG7bdOOh1QulctAsl"
    )],
    false_positives: &[r#"intercom_app = "x""#],
    ..BASE
};

pub static ZENDESK: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "zendesk-secret-key",
        title: "Zendesk API token",
        provider: "Zendesk",
        severity: High,
        related: &["zendesk-secret-key"],
        refs: &[],
        bad: concat!("ZENDESK_API_TOKEN=", "examplewx1w89jvoq4ct939rx77riqa94gxjozfb"),
        good: r#"token = os.environ["ZENDESK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["zendesk"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:zendesk)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ZENDESK_API_TOKEN=",
        "examplewx1w89jvoq4ct939rx77riqa94gxjozfb"
    )],
    false_positives: &[r#"zendesk_url = "x""#],
    ..BASE
};
