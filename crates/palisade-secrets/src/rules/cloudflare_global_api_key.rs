//! `cloudflare-global-api-key`: Cloudflare global API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cloudflare-global-api-key",
        title: "Cloudflare global API key",
        provider: "Cloudflare",
        severity: Critical,
        related: &["cloudflare-global-api-key"],
        refs: &[],
        bad: concat!("CLOUDFLARE_API_KEY=", "c0ffeeaa7196b50ac2f86702824c1c099724c"),
        good: r#"token = os.environ["CLOUDFLARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cloudflare", "cf_api"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:cloudflare|cf_api)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{37}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "CLOUDFLARE_API_KEY=",
        "c0ffeeaa7196b50ac2f86702824c1c099724c"
    )],
    false_positives: &[r#"cloudflare_key = "0000000000000000000000000000000000000""#],
    ..BASE
};
