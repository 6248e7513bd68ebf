//! `gitlab-runner-registration-token`: GitLab runner registration token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-runner-registration-token",
        title: "GitLab runner registration token",
        provider: "GitLab",
        severity: High,
        related: &["gitlab-rrt"],
        refs: &["https://docs.gitlab.com/security/tokens/"],
        bad: concat!("GR134", "8941EXAMPLEFxFEtKyPiYGFD"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["gr1348941"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(GR1348941[\w-]{20})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.3,
    true_positives: &[concat!("GR134", "8941EXAMPLEFxFEtKyPiYGFD")],
    false_positives: &[
        "GR134894100000000001111111111",
        "GR1348941YYYYYYYYYYYYYYYYYYYY",
    ],
    ..BASE
};
