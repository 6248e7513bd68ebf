//! `gitlab-runner-auth-token`: GitLab runner authentication token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-runner-auth-token",
        title: "GitLab runner authentication token",
        provider: "GitLab",
        severity: High,
        related: &["gitlab-runner-authentication-token", "gitlab-runner-authentication-token-routable"],
        refs: &["https://docs.gitlab.com/security/tokens/"],
        bad: concat!("glr", "t-EXAMPLEm7ena8D5VfLDp"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glrt-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(glrt-(?:t\d_)?[\w-]{20,}(?:\.[0-9a-z]{2}[0-9a-z]{7})?)(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("glr", "t-EXAMPLEm7ena8D5VfLDp")],
    false_positives: &["glrt-tx_xxxxxxxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxx"],
    ..BASE
};
