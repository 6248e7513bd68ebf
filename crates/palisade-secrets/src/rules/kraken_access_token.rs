//! `kraken-access-token`: Kraken API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "kraken-access-token",
        title: "Kraken API key",
        provider: "Kraken",
        severity: High,
        related: &["kraken-access-token"],
        refs: &[],
        bad: concat!("KRAKEN_API_SECRET=", "EXAMPLEoYCsmTnZLNDz7UCn4ndlB2Ohdi34e0MFla7UJVZkFoRURVsZnI1kjX6TnHgDgmYf8dAoQ1qT5CRBj3d7S"),
        good: r#"token = os.environ["KRAKEN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["kraken"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:kraken)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9/=_+-]{80,90}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "KRAKEN_API_SECRET=",
        "EXAMPLEoYCsmTnZLNDz7UCn4ndlB2Ohdi34e0MFla7UJVZkFoRURVsZnI1kjX6TnHgDgmYf8dAoQ1qT5CRBj3d7S"
    )],
    false_positives: &[r#"kraken_pair = "XBTUSD""#],
    ..BASE
};
