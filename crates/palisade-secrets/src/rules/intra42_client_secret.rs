//! `intra42-client-secret`: 42 Intra client secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "intra42-client-secret",
        title: "42 Intra client secret",
        provider: "42 Intra",
        severity: Medium,
        related: &["intra42-client-secret"],
        refs: &[],
        bad: concat!("s-s4", "t2ud-c0ffeee0d4887d6e120a578757563e68d1f0e22d4ae56ad7675dbd9956e246a3"),
        good: r#"token = os.environ["42_INTRA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["s-s4t2"],
    regex: r#"(?m)\b(s-s4t2(?:ud|af)-[a-f0-9]{64})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "s-s4",
        "t2ud-c0ffeee0d4887d6e120a578757563e68d1f0e22d4ae56ad7675dbd9956e246a3"
    )],
    false_positives: &["s-s4t2ud-x"],
    ..BASE
};
