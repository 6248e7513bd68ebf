//! `github-app-token`: GitHub App user or installation token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "github-app-token",
        title: "GitHub App user or installation token",
        provider: "GitHub",
        severity: Critical,
        related: &["github-app-token"],
        refs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
        bad: concat!("gh", "s_EXAMPLEX0t0ZBfdTEmxI6CmuxV5EbOApZOXz"),
        good: r#"token = os.environ["GITHUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ghu_", "ghs_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])((?:ghu|ghs)_[A-Za-z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("gh", "s_EXAMPLEX0t0ZBfdTEmxI6CmuxV5EbOApZOXz"),
        concat!("gh", "u_EXAMPLEcycDeZ6dqmVe5Mvxrv99NcqVTSu7r"),
    ],
    false_positives: &["ghu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
