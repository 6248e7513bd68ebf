//! `clojars-api-token`: Clojars deploy token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "clojars-api-token",
        title: "Clojars deploy token",
        provider: "Clojars",
        severity: High,
        related: &["clojars-api-token"],
        refs: &[],
        bad: concat!("CLOJ", "ARS_example6t8heqopm39p5dzzvyzfov1tat5bh400t3jv8nfwz3csvfrl208ph"),
        good: r#"token = os.environ["CLOJARS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["clojars_"],
    regex: r#"(?im)(CLOJARS_[a-z0-9]{60})\b"#,
    entropy: 2.0,
    true_positives: &[concat!(
        "CLOJ",
        "ARS_example6t8heqopm39p5dzzvyzfov1tat5bh400t3jv8nfwz3csvfrl208ph"
    )],
    false_positives: &["CLOJARS_x"],
    ..BASE
};
