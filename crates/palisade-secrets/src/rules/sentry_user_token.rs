//! `sentry-user-token`: Sentry user auth token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sentry-user-token",
        title: "Sentry user auth token",
        provider: "Sentry",
        severity: High,
        related: &["sentry-user-token", "sentry-access-token"],
        refs: &[],
        bad: concat!("sntr", "yu_c0ffeeef33ef2c3ff57de13628bef7a127f6c31d175a632f8ee42ea368b23ff8"),
        good: r#"token = os.environ["SENTRY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sntryu_", "sentry"],
    regex: r#"(?m)(?:\b(sntryu_[a-f0-9]{64})\b|(?i:sentry)[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?([a-f0-9]{64})\b)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "sntr",
        "yu_c0ffeeef33ef2c3ff57de13628bef7a127f6c31d175a632f8ee42ea368b23ff8"
    )],
    false_positives: &["sntryu_x"],
    ..BASE
};
