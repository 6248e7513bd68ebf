//! `datadog-access-token`: Datadog API or application key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "datadog-access-token",
        title: "Datadog API or application key",
        provider: "Datadog",
        severity: High,
        related: &["datadog-access-token"],
        refs: &[],
        bad: concat!("DD_API_KEY=", "c0ffee266908d35e59c7a80268422c92"),
        good: r#"token = os.environ["DATADOG_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["datadog", "dd_api", "dd_app"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:datadog|dd_api|dd_app)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{32}|[a-f0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("DD_API_KEY=", "c0ffee266908d35e59c7a80268422c92")],
    false_positives: &[r#"datadog_site = "datadoghq.eu""#],
    ..BASE
};
