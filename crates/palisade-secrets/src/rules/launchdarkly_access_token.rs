//! `launchdarkly-access-token`: LaunchDarkly access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "launchdarkly-access-token",
        title: "LaunchDarkly access token",
        provider: "LaunchDarkly",
        severity: High,
        related: &["launchdarkly-access-token"],
        refs: &[],
        bad: concat!("LAUNCHDARKLY_TOKEN=", "examplek22laif81pjqhhyfoajcwftu928mt7n4v"),
        good: r#"token = os.environ["LAUNCHDARKLY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["launchdarkly"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:launchdarkly)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9=_-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "LAUNCHDARKLY_TOKEN=",
        "examplek22laif81pjqhhyfoajcwftu928mt7n4v"
    )],
    false_positives: &[r#"launchdarkly_env = "x""#],
    ..BASE
};
