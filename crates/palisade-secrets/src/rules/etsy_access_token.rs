//! `etsy-access-token`: Etsy API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "etsy-access-token",
        title: "Etsy API key",
        provider: "Etsy",
        severity: Medium,
        related: &["etsy-access-token"],
        refs: &[],
        bad: concat!("ETSY_API_KEY=", "examplefigyrh12qf2xgc5tn"),
        good: r#"token = os.environ["ETSY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["etsy"],
    regex: r#"(?im)(?:^|[^a-z])(?:etsy)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{24}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("ETSY_API_KEY=", "examplefigyrh12qf2xgc5tn")],
    false_positives: &["resetSysctl: abcdefghijklmnopqrstuvwx12"],
    ..BASE
};
