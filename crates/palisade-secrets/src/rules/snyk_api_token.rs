//! `snyk-api-token`: Snyk API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "snyk-api-token",
        title: "Snyk API token",
        provider: "Snyk",
        severity: High,
        related: &["snyk-api-token"],
        refs: &[],
        bad: concat!(r#"SNYK_TOKEN = ""#, r#"c0ffee27-c0ff-c0ff-c0ff-c0ffeec8af66""#),
        good: r#"token = os.environ["SNYK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["snyk"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:snyk)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"SNYK_TOKEN = ""#,
        r#"c0ffee27-c0ff-c0ff-c0ff-c0ffeec8af66""#
    )],
    false_positives: &[r#"snyk_org = "acme""#],
    ..BASE
};
