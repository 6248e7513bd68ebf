//! `docker-config-auth`: Registry credentials in a Docker config.json.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "docker-config-auth",
        title: "Registry credentials in a Docker config.json",
        provider: "Docker",
        severity: High,
        related: &[],
        refs: &[],
        bad: concat!(r#"{"auths": {"registry.example.com": {"au"#, r#"th": "ZGVtbzoEXAMPLEa2lg8pDKZQqVw"}}}"#),
        good: r#"token = os.environ["DOCKER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[r#""auth""#],
    regex: r#"(?m)"auths?"\s*:\s*\{\s*"[^"]+"\s*:\s*\{\s*"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})""#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"{"auths": {"registry.example.com": {"au"#,
        r#"th": "ZGVtbzoEXAMPLEa2lg8pDKZQqVw"}}}"#
    )],
    false_positives: &[r#"{"auths": {"registry.example.com": {"auth": ""}}}"#],
    ..BASE
};
