//! Cloudflare rules.

use crate::rule::{SecretRule, BASE};

pub static CF_GLOBAL: SecretRule = SecretRule {
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

pub static CF_API_TOKEN: SecretRule = SecretRule {
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

pub static CF_ORIGIN_CA: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cloudflare-origin-ca-key",
        title: "Cloudflare Origin CA key",
        provider: "Cloudflare",
        severity: High,
        related: &["cloudflare-origin-ca-key"],
        refs: &[],
        bad: concat!("v1", ".0-c0ffee67efc2f91624a8940f-c0ffee1f836f99eee3692f09e2e8c662248b483b7ffc050fec94dbca3a0aac36098b2cc2bd818319478da6bd0c621de49f145fda9988c79fc35526f7eaed46725a2a7b860dcd6c8a1f"),
        good: r#"token = os.environ["CLOUDFLARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["v1.0-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(v1\.0-[a-f0-9]{24}-[a-f0-9]{146})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("v1", ".0-c0ffee67efc2f91624a8940f-c0ffee1f836f99eee3692f09e2e8c662248b483b7ffc050fec94dbca3a0aac36098b2cc2bd818319478da6bd0c621de49f145fda9988c79fc35526f7eaed46725a2a7b860dcd6c8a1f"),
    ],
    false_positives: &[
        "v1.0-abc",
    ],
    ..BASE
};
