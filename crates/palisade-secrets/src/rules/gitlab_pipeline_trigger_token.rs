//! `gitlab-pipeline-trigger-token`: GitLab pipeline trigger token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-pipeline-trigger-token",
        title: "GitLab pipeline trigger token",
        provider: "GitLab",
        severity: High,
        related: &["gitlab-ptt"],
        refs: &["https://docs.gitlab.com/security/tokens/"],
        bad: concat!("glp", "tt-c0ffee57d21fa5d328263dfe574de739988b886e"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glptt-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(glptt-[0-9a-f]{40})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "glp",
        "tt-c0ffee57d21fa5d328263dfe574de739988b886e"
    )],
    false_positives: &["glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
