//! Alibaba Cloud rules.

use crate::rule::{SecretRule, BASE};

pub static ALIBABA_ACCESS_KEY_ID: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "alibaba-access-key-id",
        title: "Alibaba Cloud AccessKey ID",
        provider: "Alibaba Cloud",
        severity: High,
        related: &["alibaba-access-key-id"],
        refs: &[],
        bad: concat!("key_id = LT", "AIEXAMPLE7iB3m03nbqnsG"),
        good: r#"token = os.environ["ALIBABA_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ltai"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(LTAI[A-Za-z0-9]{20})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("key_id = LT", "AIEXAMPLE7iB3m03nbqnsG")],
    false_positives: &["LTAIXXXXXXXXXXXXXXXXXXXX"],
    ..BASE
};

pub static ALIBABA_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "alibaba-access-key-secret",
        title: "Alibaba Cloud AccessKey secret",
        provider: "Alibaba Cloud",
        severity: Critical,
        related: &["alibaba-secret-key"],
        refs: &[],
        bad: concat!("ALIBABA_CLOUD_ACCESS_KEY_SECRET=", "EXAMPLEpWLuqIA1id6Vw5DQL05HA06"),
        good: r#"token = os.environ["ALIBABA_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["alibaba", "aliyun"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:alibaba|aliyun)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[A-Za-z0-9]{30}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET=",
        "EXAMPLEpWLuqIA1id6Vw5DQL05HA06"
    )],
    false_positives: &[r#"alibaba_secret = """#],
    ..BASE
};
