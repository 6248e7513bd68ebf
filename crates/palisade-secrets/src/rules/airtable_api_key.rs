//! `airtable-api-key`: Airtable API key or personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "airtable-api-key",
        title: "Airtable API key or personal access token",
        provider: "Airtable",
        severity: High,
        related: &["airtable-api-key", "airtable-personnal-access-token"],
        refs: &[],
        bad: concat!("pa", "tEXAMPLEu5OvMbi.c0ffeeab22031598926e8019792f4cece6788749c1736ebebf0bc65bfc54d5f6"),
        good: r#"token = os.environ["AIRTABLE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pat", "airtable"],
    regex: r#"(?m)\b(pat[a-zA-Z0-9]{14}\.[a-f0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pa",
        "tEXAMPLEu5OvMbi.c0ffeeab22031598926e8019792f4cece6788749c1736ebebf0bc65bfc54d5f6"
    )],
    false_positives: &["pat.x"],
    ..BASE
};
