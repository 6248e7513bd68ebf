//! `gcp-service-account-key`: Google Cloud service account key file.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gcp-service-account-key",
        title: "Google Cloud service account key file",
        provider: "Google Cloud",
        severity: Critical,
        related: &["gcp-service-account"],
        refs: &[],
        bad: concat!(r#"{"type": "service"#, r#"_account", "project_id": "demo"}"#),
        good: r#"token = os.environ["GOOGLE_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["service_account"],
    regex: r#"(?m)("type"\s*:\s*"service_account")"#,
    true_positives: &[concat!(
        r#"{"type": "service"#,
        r#"_account", "project_id": "demo"}"#
    )],
    false_positives: &[r#""type": "user_account""#],
    ..BASE
};
