//! `beamer-api-token`: Beamer API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "beamer-api-token",
        title: "Beamer API key",
        provider: "Beamer",
        severity: Medium,
        related: &["beamer-api-token"],
        refs: &[],
        bad: concat!("BEAMER_KEY=", "b_examplelihl6qvkko4oqqdoktey82ng04udyo347mqk7"),
        good: r#"token = os.environ["BEAMER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["beamer"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:beamer)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:b_[a-z0-9=_-]{44}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "BEAMER_KEY=",
        "b_examplelihl6qvkko4oqqdoktey82ng04udyo347mqk7"
    )],
    false_positives: &[r#"beamer_url = "x""#],
    ..BASE
};
