//! `bittrex-access-key`: Bittrex API key or secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "bittrex-access-key",
        title: "Bittrex API key or secret",
        provider: "Bittrex",
        severity: High,
        related: &["bittrex-access-key", "bittrex-secret-key"],
        refs: &[],
        bad: concat!("BITTREX_KEY=", "examplejso8fm3jl1vzhcwhn77es5wb5"),
        good: r#"token = os.environ["BITTREX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["bittrex"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:bittrex)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("BITTREX_KEY=", "examplejso8fm3jl1vzhcwhn77es5wb5")],
    false_positives: &[r#"bittrex_pair = "x""#],
    ..BASE
};
