//! `alibaba-access-key-secret`: Alibaba Cloud AccessKey secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
