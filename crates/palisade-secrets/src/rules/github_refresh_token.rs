//! `github-refresh-token`: GitHub refresh token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "github-refresh-token",
        title: "GitHub refresh token",
        provider: "GitHub",
        severity: High,
        related: &["github-refresh-token"],
        refs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
        bad: concat!("gh", "r_EXAMPLEtaUWM6ZO88eb0ogET9D9XyYq6B0Fi"),
        good: r#"token = os.environ["GITHUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ghr_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(ghr_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("gh", "r_EXAMPLEtaUWM6ZO88eb0ogET9D9XyYq6B0Fi")],
    false_positives: &["ghr_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
