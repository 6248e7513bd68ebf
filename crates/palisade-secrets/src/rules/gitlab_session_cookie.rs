//! `gitlab-session-cookie`: GitLab session cookie.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitlab-session-cookie",
        title: "GitLab session cookie",
        provider: "GitLab",
        severity: High,
        related: &["gitlab-session-cookie"],
        refs: &[],
        bad: concat!("_gitlab_", "session=examplea1k1hfzx3kiad9jzfx6kjwsk7"),
        good: r#"token = os.environ["GITLAB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["_gitlab_session="],
    regex: r#"(?m)_gitlab_session=([0-9a-z]{32})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "_gitlab_",
        "session=examplea1k1hfzx3kiad9jzfx6kjwsk7"
    )],
    false_positives: &["_gitlab_session=${SESSION}"],
    ..BASE
};
