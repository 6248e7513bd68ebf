//! `frameio-api-token`: Frame.io API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "frameio-api-token",
        title: "Frame.io API token",
        provider: "Frame.io",
        severity: Medium,
        related: &["frameio-api-token"],
        refs: &[],
        bad: concat!("fio", "-u-EXAMPLEXunH4lN7BaillxVa306LSVvm-oVLACXTQJKkVoUPrQoRu1cUCZauz5UZH"),
        good: r#"token = os.environ["FRAME_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fio-u-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(fio-u-[\w=-]{64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "fio",
        "-u-EXAMPLEXunH4lN7BaillxVa306LSVvm-oVLACXTQJKkVoUPrQoRu1cUCZauz5UZH"
    )],
    false_positives: &["fio-u-x"],
    ..BASE
};
