//! `gitlab-token`: GitLab deploy, feed, CI job, agent, SCIM, OAuth or mail token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-token",
        title: "GitLab deploy, feed, CI job, agent, SCIM, OAuth or mail token",
        provider: "GitLab",
        severity: High,
        related: &["gitlab-deploy-token", "gitlab-feed-token", "gitlab-cicd-job-token", "gitlab-kubernetes-agent-token", "gitlab-scim-token", "gitlab-oauth-app-secret", "gitlab-incoming-mail-token", "gitlab-feature-flag-client-token"],
        refs: &["https://docs.gitlab.com/security/tokens/"],
        bad: concat!("gl", "dt-EXAMPLEgyyjVw5HanSBe"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[
        "gldt-", "glft-", "glcbt-", "glagent-", "glsoat-", "gloas-", "glimt-", "glffct-",
    ],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])((?:gldt-|glft-|glcbt-[0-9a-zA-Z]{1,5}_|glagent-|glsoat-|gloas-|glimt-|glffct-)[\w-]{20,64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("gl", "dt-EXAMPLEgyyjVw5HanSBe"),
        concat!(
            "gl",
            "agent-EXAMPLEVRsfAGeAbP0VxNjAe-9i0mYtluYI0KN1gNT11cUzYZA"
        ),
    ],
    false_positives: &["gldt-xxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
