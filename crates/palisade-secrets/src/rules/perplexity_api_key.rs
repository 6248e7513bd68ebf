//! `perplexity-api-key`: Perplexity API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "perplexity-api-key",
        title: "Perplexity API key",
        provider: "Perplexity",
        severity: High,
        related: &["perplexity-api-key"],
        refs: &[],
        bad: concat!("pp", "lx-EXAMPLEKYV0oOVVPcpg6mZacDdzp879oXRc7JOK6AqcjDbEW"),
        good: r#"token = os.environ["PERPLEXITY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pplx-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pplx-[a-zA-Z0-9]{48})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pp",
        "lx-EXAMPLEKYV0oOVVPcpg6mZacDdzp879oXRc7JOK6AqcjDbEW"
    )],
    false_positives: &["PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
