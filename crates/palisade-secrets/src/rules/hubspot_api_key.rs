//! `hubspot-api-key`: HubSpot API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "hubspot-api-key",
        title: "HubSpot API key",
        provider: "HubSpot",
        severity: High,
        related: &["hubspot-api-key"],
        refs: &[],
        bad: concat!(r#"HUBSPOT_API_KEY = ""#, r#"c0ffee6b-c0ff-c0ff-c0ff-c0ffee6b3dac""#),
        good: r#"token = os.environ["HUBSPOT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hubspot"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:hubspot)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"HUBSPOT_API_KEY = ""#,
        r#"c0ffee6b-c0ff-c0ff-c0ff-c0ffee6b3dac""#
    )],
    false_positives: &[r#"hubspot_portal = "x""#],
    ..BASE
};
