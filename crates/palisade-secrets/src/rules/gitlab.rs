//! GitLab rules.

use crate::rule::{SecretRule, BASE};

pub static GITLAB_PAT: SecretRule = SecretRule {
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

pub static GITLAB_PTT: SecretRule = SecretRule {
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

pub static GITLAB_RRT: SecretRule = SecretRule {
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

pub static GITLAB_RUNNER: SecretRule = SecretRule {
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

pub static GITLAB_OTHER: SecretRule = SecretRule {
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

pub static GITLAB_SESSION: SecretRule = SecretRule {
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
