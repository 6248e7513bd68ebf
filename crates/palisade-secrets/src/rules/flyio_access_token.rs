//! `flyio-access-token`: Fly.io access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "flyio-access-token",
        title: "Fly.io access token",
        provider: "Fly.io",
        severity: High,
        related: &["flyio-access-token"],
        refs: &[],
        bad: concat!("fo", "1_EXAMPLEZN9WN8OSNTni951bDAAUUpe73dq2lxLTmChC"),
        good: r#"token = os.environ["FLY_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["fo1_", "fm1", "fm2_"],
    regex: r#"(?m)\b((?:fo1_[\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,}={0,3}|fm2_[a-zA-Z0-9+/]{100,}={0,3}))"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "fo",
        "1_EXAMPLEZN9WN8OSNTni951bDAAUUpe73dq2lxLTmChC"
    )],
    false_positives: &[r#"FLY_API_TOKEN="fo1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#],
    ..BASE
};
