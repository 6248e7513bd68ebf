//! `sumologic-access-token`: Sumo Logic access key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sumologic-access-token",
        title: "Sumo Logic access key",
        provider: "Sumo Logic",
        severity: High,
        related: &["sumologic-access-token"],
        refs: &[],
        bad: concat!("SUMO_ACCESS_KEY: ", "EXAMPLEBf9nIAz9i5VoxVTxyQFXxioOn4rhcGi4zNAPeELD8vKIwwTWBulZESbRR"),
        good: r#"token = os.environ["SUMO_LOGIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sumo"],
    regex: r#"(?im)(?:^|[^a-z])sumo(?:logic)?[_.-][\w.-]{0,20}?[\s\'"]{0,3}(?::{1,3}=|=>|=|:)[\s\'"]{0,5}(?-i:([a-zA-Z0-9]{64}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "SUMO_ACCESS_KEY: ",
        "EXAMPLEBf9nIAz9i5VoxVTxyQFXxioOn4rhcGi4zNAPeELD8vKIwwTWBulZESbRR"
    )],
    false_positives: &["SUMO_ACCESS_KEY: Short123"],
    ..BASE
};
