//! `curl-auth-user`: Credentials in a curl --user argument.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "curl-auth-user",
        title: "Credentials in a curl --user argument",
        provider: "the service",
        severity: High,
        related: &["curl-auth-user"],
        refs: &[],
        bad: concat!("curl -u deploy:", "S3crEXAMPLE2iX https://example.com"),
        good: r#"curl --netrc-file "$NETRC" https://example.com"#,
    ),
    keywords: &["curl"],
    regex: r#"(?m)\bcurl\b(?:[^\n\\]|\\.|\\\r?\n|\r?\n[ \t]+)*?\s(?:-u|--user)(?:\s+|=)((?:\'[^\'\n]*\'|"[^"\n]*"|[^\s\'"\\]+)+)"#,
    validate: Some(crate::validate::curl_user),
    generic: true,
    true_positives: &[concat!(
        "curl -u deploy:",
        "S3crEXAMPLE2iX https://example.com"
    )],
    false_positives: &[
        r#"curl -u "${USER}:${PASS}" https://example.com"#,
        "curl -u user:password https://example.com",
    ],
    ..BASE
};
