//! `kucoin-secret-key`: KuCoin API key or secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "kucoin-secret-key",
        title: "KuCoin API key or secret",
        provider: "KuCoin",
        severity: High,
        related: &["kucoin-access-token", "kucoin-secret-key"],
        refs: &[],
        bad: concat!("KUCOIN_KEY=", "c0ffee415e97a498a647c1ac"),
        good: r#"token = os.environ["KUCOIN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["kucoin"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:kucoin)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("KUCOIN_KEY=", "c0ffee415e97a498a647c1ac")],
    false_positives: &[r#"kucoin_pair = "x""#],
    ..BASE
};
