//! `notion-api-token`: Notion integration token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "notion-api-token",
        title: "Notion integration token",
        provider: "Notion",
        severity: High,
        related: &["notion-api-token"],
        refs: &[],
        bad: concat!("nt", "n_56261635458EXAMPLEUlFIWGaQ3jM9y1J5Yklb6PJ4Wh3K"),
        good: r#"token = os.environ["NOTION_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ntn_"],
    regex: r#"(?m)\b(ntn_[0-9]{11}[A-Za-z0-9]{35})\b"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "nt",
        "n_56261635458EXAMPLEUlFIWGaQ3jM9y1J5Yklb6PJ4Wh3K"
    )],
    false_positives: &["ntn_999999999999999999999999999999999999999999999999999999999999"],
    ..BASE
};
