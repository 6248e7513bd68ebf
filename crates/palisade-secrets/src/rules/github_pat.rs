//! `github-pat`: GitHub personal access token (classic).

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "github-pat",
        title: "GitHub personal access token (classic)",
        provider: "GitHub",
        severity: Critical,
        related: &["github-pat"],
        refs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
        bad: concat!("gh", "p_EXAMPLE9ATPtdbmF4RPAfqoQB7xoFcSvTAxR"),
        good: r#"token = os.environ["GITHUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ghp_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(ghp_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("gh", "p_EXAMPLE9ATPtdbmF4RPAfqoQB7xoFcSvTAxR")],
    false_positives: &["ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
