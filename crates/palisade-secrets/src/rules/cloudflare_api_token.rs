//! `cloudflare-api-token`: Cloudflare API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cloudflare-api-token",
        title: "Cloudflare API token",
        provider: "Cloudflare",
        severity: High,
        related: &["cloudflare-api-key"],
        refs: &[],
        bad: concat!("CLOUDFLARE_API_TOKEN=", "EXAMPLEP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHE"),
        good: r#"token = os.environ["CLOUDFLARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cloudflare", "cf_api"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:cloudflare|cf_api)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "CLOUDFLARE_API_TOKEN=",
        "EXAMPLEP-tKsf2rcDkdfrUnW5gcF_Ha6ili8GjHE"
    )],
    false_positives: &["cloudflare_token = ${TOKEN}"],
    ..BASE
};
