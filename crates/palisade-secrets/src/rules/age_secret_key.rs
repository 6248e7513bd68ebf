//! `age-secret-key`: age encryption secret key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "age-secret-key",
        title: "age encryption secret key",
        provider: "age",
        severity: Critical,
        related: &["age-secret-key"],
        refs: &[],
        bad: concat!("AGE-SECRET-", "KEY-1ZZ5W53HNHKECJ8WQ60R2FNS5CMNG04RKT5GRA47AD4H0YX85PPWHYYLRVA"),
        good: r#"token = os.environ["AGE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["age-secret-key-1"],
    regex: r#"(?m)(AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "AGE-SECRET-",
        "KEY-1ZZ5W53HNHKECJ8WQ60R2FNS5CMNG04RKT5GRA47AD4H0YX85PPWHYYLRVA"
    )],
    false_positives: &["AGE-SECRET-KEY-1"],
    ..BASE
};
