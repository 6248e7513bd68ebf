//! `curl-auth-header`: Credentials in a curl authorization header.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "curl-auth-header",
        title: "Credentials in a curl authorization header",
        provider: "the service",
        severity: High,
        related: &["curl-auth-header"],
        refs: &[],
        bad: concat!(r#"curl -H "Authorization: Bearer "#, r#"9fEXAMPLEdLApvtOFAzdP4GaucMYBmov" https://example.com"#),
        good: r#"curl -H "Authorization: Bearer $API_TOKEN" https://example.com"#,
    ),
    keywords: &["curl"],
    regex: r#"(?im)\bcurl\b(?:[^\n\\]|\\.|\\\r?\n|\r?\n[ \t]+)*?\s(?:-H|--header)(?:\s+|=)[\'"]\s*(?P<key>[\w-]*(?:auth|token|api-?key|secret|password)[\w-]*\s*:\s*(?:(?:Basic|Bearer|Token|Api-Token|Digest)\s+)?)([^\'"\s]+)\s*[\'"]"#,
    validate: Some(crate::validate::curl_header),
    generic: true,
    true_positives: &[concat!(
        r#"curl -H "Authorization: Bearer "#,
        r#"9fEXAMPLEdLApvtOFAzdP4GaucMYBmov" https://example.com"#
    )],
    false_positives: &[r#"curl -H "Authorization: Bearer $API_KEY" https://example.com"#],
    ..BASE
};
