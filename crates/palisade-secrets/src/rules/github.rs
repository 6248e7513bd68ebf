//! GitHub rules.

use crate::rule::{SecretRule, BASE};

pub static GITHUB_PAT: SecretRule = SecretRule {
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

pub static GITHUB_FINE_GRAINED: SecretRule = SecretRule {
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

pub static GITHUB_OAUTH: SecretRule = SecretRule {
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

pub static GITHUB_APP_TOKEN: SecretRule = SecretRule {
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

pub static GITHUB_REFRESH: SecretRule = SecretRule {
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
