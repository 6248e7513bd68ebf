//! `cloudflare-origin-ca-key`: Cloudflare Origin CA key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
