//! `plaid-secret-key`: Plaid secret or access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "plaid-secret-key",
        title: "Plaid secret or access token",
        provider: "Plaid",
        severity: High,
        related: &["plaid-secret-key", "plaid-api-token", "plaid-client-id"],
        refs: &[],
        bad: concat!("PLAID_SECRET=", "c0ffeecd896416bef4ba6e1a02da18"),
        good: r#"token = os.environ["PLAID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[
        "plaid",
        "access-sandbox",
        "access-production",
        "access-development",
    ],
    regex: r#"(?im)(?:(?:plaid)[\w.-]{0,20}(?:secret|key)[\w.-]{0,10}\s*[\'"]?\s*(?:=|:)\s*[\'"]?(?-i:([a-f0-9]{30}))\b|\b(access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)"#,
    entropy: 3.0,
    true_positives: &[concat!("PLAID_SECRET=", "c0ffeecd896416bef4ba6e1a02da18")],
    false_positives: &[r#"plaid_env = "sandbox""#],
    ..BASE
};
