//! `gitlab-pat`: GitLab personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-pat",
        title: "GitLab personal access token",
        provider: "GitLab",
        severity: Critical,
        related: &["gitlab-pat", "gitlab-pat-routable"],
        refs: &["https://docs.gitlab.com/security/tokens/"],
        bad: concat!("glp", "at-EXAMPLE-xbMtEPO6UkzY"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glpat-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(glpat-(?:[\w-]{20}|[\w-]{27,300}\.[0-9a-z]{2}[0-9a-z]{7}))(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("glp", "at-EXAMPLE-xbMtEPO6UkzY")],
    false_positives: &[
        "glpat-XXXXXXXXXXX-XXXXXXXX",
        "glpat-xxxxxxxx-xxxxxxxxxxxxxxxxxx.xxxxxxxxx",
    ],
    ..BASE
};
