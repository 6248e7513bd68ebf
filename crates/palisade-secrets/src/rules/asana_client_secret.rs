//! `asana-client-secret`: Asana client secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "asana-client-secret",
        title: "Asana client secret",
        provider: "Asana",
        severity: Medium,
        related: &["asana-client-secret", "asana-client-id"],
        refs: &[],
        bad: concat!("ASANA_CLIENT_SECRET=", "example311mgj0l6juo1yrjglmk48m26"),
        good: r#"token = os.environ["ASANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["asana"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:asana)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}|[0-9]{16}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ASANA_CLIENT_SECRET=",
        "example311mgj0l6juo1yrjglmk48m26"
    )],
    false_positives: &[r#"asana_project = "x""#],
    ..BASE
};
