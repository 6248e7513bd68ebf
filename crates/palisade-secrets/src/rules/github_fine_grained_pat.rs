//! `github-fine-grained-pat`: GitHub fine-grained personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "github-fine-grained-pat",
        title: "GitHub fine-grained personal access token",
        provider: "GitHub",
        severity: Critical,
        related: &["github-fine-grained-pat"],
        refs: &["https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats"],
        bad: concat!("github", "_pat_EXAMPLEzmaZsV2GenFmtX0_EXAMPLEmoDoqW4sg8NFNl5oFA6Qd8Mj7zdnbMjAdTdlzC5T4uUhf7kvmlP7"),
        good: r#"token = os.environ["GITHUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["github_pat_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(github_pat_[A-Za-z0-9_]{82})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("github", "_pat_EXAMPLEzmaZsV2GenFmtX0_EXAMPLEmoDoqW4sg8NFNl5oFA6Qd8Mj7zdnbMjAdTdlzC5T4uUhf7kvmlP7"),
    ],
    false_positives: &[
        "github_pat_xxxxxxxxxxxxxxxxxxxxxx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ],
    ..BASE
};
