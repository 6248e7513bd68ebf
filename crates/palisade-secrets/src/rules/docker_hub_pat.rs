//! `docker-hub-pat`: Docker Hub personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "docker-hub-pat",
        title: "Docker Hub personal access token",
        provider: "Docker Hub",
        severity: High,
        related: &[],
        refs: &[],
        bad: concat!("dckr", "_pat_EXAMPLEBfWxXIQtUvCSYN-OyuYb"),
        good: r#"token = os.environ["DOCKER_HUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dckr_pat_", "dckr_oat_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dckr_(?:pat|oat)_[a-zA-Z0-9_-]{27,32})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("dckr", "_pat_EXAMPLEBfWxXIQtUvCSYN-OyuYb")],
    false_positives: &["dckr_pat_x"],
    ..BASE
};
