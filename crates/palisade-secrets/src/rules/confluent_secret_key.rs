//! `confluent-secret-key`: Confluent Cloud API key or secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "confluent-secret-key",
        title: "Confluent Cloud API key or secret",
        provider: "Confluent",
        severity: High,
        related: &["confluent-access-token", "confluent-secret-key"],
        refs: &[],
        bad: concat!("CONFLUENT_API_SECRET=", "EXAMPLEqat6DoxpY4UAhWo3ahvVgCSFXbonwcuWyAP7IzotAeN8ZGVCRBLXH1WEr"),
        good: r#"token = os.environ["CONFLUENT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["confluent"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:confluent)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{16}|[a-zA-Z0-9+/]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CONFLUENT_API_SECRET=",
        "EXAMPLEqat6DoxpY4UAhWo3ahvVgCSFXbonwcuWyAP7IzotAeN8ZGVCRBLXH1WEr"
    )],
    false_positives: &[r#"confluent_cluster = "x""#],
    ..BASE
};
