//! `twitter-bearer-token`: X (Twitter) bearer token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "twitter-bearer-token",
        title: "X (Twitter) bearer token",
        provider: "X (Twitter)",
        severity: High,
        related: &["twitter-bearer-token"],
        refs: &[],
        bad: concat!("AAAAAAAAAAAAAAAAAAAAA", "AEXAMPLEh9sDOxKX88RSxE87OmI93QQlxmMmtsTpTLeAanJenGGQhW1pQhRs7gmRLTQardBfru5KSaGAw5TLI0laKml"),
        good: r#"token = os.environ["X_(TWITTER)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["aaaaaaaaaaaaaaaaaaaaa"],
    regex: r#"(?m)\b(A{22}[a-zA-Z0-9%]{80,120})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("AAAAAAAAAAAAAAAAAAAAA", "AEXAMPLEh9sDOxKX88RSxE87OmI93QQlxmMmtsTpTLeAanJenGGQhW1pQhRs7gmRLTQardBfru5KSaGAw5TLI0laKml"),
    ],
    false_positives: &[
        "AAAA",
    ],
    ..BASE
};
