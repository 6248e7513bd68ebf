//! `github-oauth-token`: GitHub OAuth access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "github-oauth-token",
        title: "GitHub OAuth access token",
        provider: "GitHub",
        severity: Critical,
        related: &["github-oauth"],
        refs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
        bad: concat!("gh", "o_EXAMPLEHVDctQUy1xvCkgafrfwA94hJ9Wnyw"),
        good: r#"token = os.environ["GITHUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["gho_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(gho_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("gh", "o_EXAMPLEHVDctQUy1xvCkgafrfwA94hJ9Wnyw")],
    false_positives: &["gho_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
