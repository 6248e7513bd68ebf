//! `intercom-api-key`: Intercom access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
