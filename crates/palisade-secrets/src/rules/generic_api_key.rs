//! `generic-api-key`: Generic secret assigned to a credential-like name.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "generic-api-key",
        title: "Generic secret assigned to a credential-like name",
        provider: "the service",
        severity: Medium,
        related: &["generic-api-key"],
        refs: &[],
        bad: concat!(r#""client_secret" : "6da8"#, r#"9121e47b05a3d96f2c81be4f07a5d3c9e8b2f160""#),
        good: r#"client_secret = os.environ["CLIENT_SECRET"]"#,
    ),
    keywords: &[
        "secret",
        "token",
        "passw",
        "pwd",
        "apikey",
        "api_key",
        "api-key",
        "api.key",
        "access_key",
        "access-key",
        "accesskey",
        "auth",
        "credential",
        "creds",
        "private_key",
        "privatekey",
    ],
    regex: r#"(?im)(?P<key>[\w.-]{0,40}?(?:secret|token|passw(?:or)?d|pwd|api[_.-]?key|access[_.-]?key|auth|credentials?|creds|private[_.-]?key)[\w.-]{0,20}(?:[ \t\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[ \t\'"\x60]{0,5}|["\']\s*,\s*["\']))([\w.=+/-]{10,150})(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    validate: Some(crate::validate::generic_assignment),
    generic: true,
    true_positives: &[
        concat!(
            r#""client_secret" : "6da8"#,
            r#"9121e47b05a3d96f2c81be4f07a5d3c9e8b2f160""#
        ),
        concat!(r#"db_password = "Tr0ub4dor"#, r#"EXAMPLE55pwK""#),
    ],
    false_positives: &[
        "secret_size = Ed25519.secret_size",
        r#"author = "jane.doe@example.org","#,
        r#""vault_secret_id": "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f","#,
    ],
    ..BASE
};
