//! `clickhouse-cloud-api-secret-key`: ClickHouse Cloud API secret key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "clickhouse-cloud-api-secret-key",
        title: "ClickHouse Cloud API secret key",
        provider: "ClickHouse Cloud",
        severity: High,
        related: &["clickhouse-cloud-api-secret-key"],
        refs: &[],
        bad: concat!("4b", "1dEXAMPLEc02uBOvxeIh9DknHdPQIp86A76HSX9O"),
        good: r#"token = os.environ["CLICKHOUSE_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["4b1d"],
    regex: r#"(?m)\b(4b1d[A-Za-z0-9]{38})\b"#,
    entropy: 3.5,
    true_positives: &[concat!("4b", "1dEXAMPLEc02uBOvxeIh9DknHdPQIp86A76HSX9O")],
    false_positives: &[
        "clickhouse = 4b1dYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY",
        "id = xyz4b1dQw8Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6n",
    ],
    ..BASE
};
