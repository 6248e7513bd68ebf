//! `sourcegraph-access-token`: Sourcegraph access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sourcegraph-access-token",
        title: "Sourcegraph access token",
        provider: "Sourcegraph",
        severity: High,
        related: &["sourcegraph-access-token"],
        refs: &[],
        bad: concat!("sg", "p_local_c0ffee66259bbc471fb3be24a0b80316f688d3e4"),
        good: r#"token = os.environ["SOURCEGRAPH_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sgp_", "sourcegraph"],
    regex: r#"(?m)(?:(?:^|[^A-Za-z0-9_])(sgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}|sgp_[a-fA-F0-9]{40})\b|(?i:sourcegraph)[\w.-]{0,20}\s*[:=]\s*[\'"]?([a-fA-F0-9]{40})\b)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sg", "p_local_c0ffee66259bbc471fb3be24a0b80316f688d3e4"),
        concat!("sg", "p_c0ffee81a65c2011bef2c328a72c5e5b77518b10"),
    ],
    false_positives: &["sgp_0000000000aaaaaaaaaa0000000000aaaaaaaaaa"],
    ..BASE
};
