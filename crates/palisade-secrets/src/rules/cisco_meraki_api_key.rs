//! `cisco-meraki-api-key`: Cisco Meraki API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cisco-meraki-api-key",
        title: "Cisco Meraki API key",
        provider: "Cisco Meraki",
        severity: High,
        related: &["cisco-meraki-api-key"],
        refs: &[],
        bad: concat!("MERAKI_API_KEY=", "c0ffee288b6d8eacf314914bc781ef02216ef29a"),
        good: r#"token = os.environ["CISCO_MERAKI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["meraki"],
    regex: r#"(?im)(?:^|[^a-z])(?:meraki)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-f]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.3,
    true_positives: &[concat!(
        "MERAKI_API_KEY=",
        "c0ffee288b6d8eacf314914bc781ef02216ef29a"
    )],
    false_positives: &[
        "CameraKitVersion: 9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b",
        "meraki: 1111111111aaaaaaaaaa2222222222bbbbbbbbbb",
    ],
    ..BASE
};
