//! `gitter-access-token`: Gitter access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gitter-access-token",
        title: "Gitter access token",
        provider: "Gitter",
        severity: Medium,
        related: &["gitter-access-token"],
        refs: &[],
        bad: concat!("GITTER_TOKEN=", "exampleve2alkysa2wm4f8u7318jzfdvt0x4itv7"),
        good: r#"token = os.environ["GITTER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["gitter"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:gitter)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "GITTER_TOKEN=",
        "exampleve2alkysa2wm4f8u7318jzfdvt0x4itv7"
    )],
    false_positives: &[r#"gitter_room = "x""#],
    ..BASE
};
