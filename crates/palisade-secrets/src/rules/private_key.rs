//! `private-key`: Private key (PEM, OpenSSH, PGP).

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "private-key",
        title: "Private key (PEM, OpenSSH, PGP)",
        provider: "the key owner",
        severity: Critical,
        related: &["private-key"],
        refs: &["https://www.rfc-editor.org/rfc/rfc7468"],
        bad: concat!("-----BEGIN RSA PRIV", "ATE KEY-----
EXAMPLEC3OyYag98ozqpbLgDTALQGfpCsndxKc41hW2LbOTLZ4SFJj0zj5IDrwzk
EXAMPLEmfTKYXQOvMB7mZsKRud7GxGgcvqTV78Pq==
-----END RSA PRIVATE KEY-----"),
        good: r#"ssh -i "$SSH_KEY_FILE" host   # key mounted at runtime, never committed"#,
    ),
    keywords: &["private key"],
    regex: r#"(-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s:,.()_-]{64,}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----)"#,
    true_positives: &[concat!(
        "-----BEGIN RSA PRIV",
        "ATE KEY-----
EXAMPLEC3OyYag98ozqpbLgDTALQGfpCsndxKc41hW2LbOTLZ4SFJj0zj5IDrwzk
EXAMPLEmfTKYXQOvMB7mZsKRud7GxGgcvqTV78Pq==
-----END RSA PRIVATE KEY-----"
    )],
    false_positives: &[
        "-----BEGIN PRIVATE KEY-----
anything
-----END PRIVATE KEY-----",
        "-----BEGIN OPENSSH PRIVATE KEY----------END OPENSSH PRIVATE KEY-----",
    ],
    ..BASE
};
