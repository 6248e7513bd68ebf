//! `gcp-api-key`: Google Cloud API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gcp-api-key",
        title: "Google Cloud API key",
        provider: "Google Cloud",
        severity: High,
        related: &["gcp-api-key"],
        refs: &["https://cloud.google.com/docs/authentication/api-keys"],
        bad: concat!("AI", "zaEXAMPLEuoRgnatmUdjAWtGSU8po_799Nksn"),
        good: r#"token = os.environ["GOOGLE_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["aiza"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(AIza[\w-]{35})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 4.0,
    allow_regexes: &[r#"abcdefghijklmnop"#],
    true_positives: &[concat!("AI", "zaEXAMPLEuoRgnatmUdjAWtGSU8po_799Nksn")],
    false_positives: &[
        "AIzaTooShort123",
        "AIZASYQWERTYUIOPASDFGHJKLZXCVBNM1234567",
        r#"maps_key: "AIzabbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb""#,
    ],
    ..BASE
};
