//! `pulumi-api-token`: Pulumi access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "pulumi-api-token",
        title: "Pulumi access token",
        provider: "Pulumi",
        severity: High,
        related: &["pulumi-api-token"],
        refs: &[],
        bad: concat!("pu", "l-c0ffeee5351d30b49895d1a0d1f13dce20c4fd32"),
        good: r#"token = os.environ["PULUMI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pul-"],
    regex: r#"(?m)\b(pul-[a-f0-9]{40})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("pu", "l-c0ffeee5351d30b49895d1a0d1f13dce20c4fd32")],
    false_positives: &[r#"<a href="/img/catapul-0c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d.png">"#],
    ..BASE
};
