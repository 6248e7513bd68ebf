//! `yandex-api-key`: Yandex API key or token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "yandex-api-key",
        title: "Yandex API key or token",
        provider: "Yandex",
        severity: High,
        related: &["yandex-api-key", "yandex-access-token", "yandex-aws-access-token"],
        refs: &[],
        bad: concat!("YANDEX_API_KEY=", "AQVNEXAMPLEcK6PMJkm-RDVoOLNVF0JE37GArqbk"),
        good: r#"token = os.environ["YANDEX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["yandex"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:yandex)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:AQVN[A-Za-z0-9_-]{35,38}|t1\.[A-Z0-9a-z_-]+={0,2}\.[A-Z0-9a-z_-]{86}={0,2}|YC[a-zA-Z0-9_-]{38}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "YANDEX_API_KEY=",
        "AQVNEXAMPLEcK6PMJkm-RDVoOLNVF0JE37GArqbk"
    )],
    false_positives: &[r#"yandex_region = "x""#],
    ..BASE
};
