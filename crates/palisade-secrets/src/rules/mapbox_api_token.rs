//! `mapbox-api-token`: Mapbox secret access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mapbox-api-token",
        title: "Mapbox secret access token",
        provider: "Mapbox",
        severity: Medium,
        related: &["mapbox-api-token"],
        refs: &[],
        bad: concat!("sk.", "eyJ1IjoiEXAMPLEixwGJLoNrQGiGbABQMlcIsrhXOTCXxHEp.EXAMPLEWLLZeG9PB5TN6Ul"),
        good: r#"token = os.environ["MAPBOX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk.eyj"],
    regex: r#"(?m)\b(sk\.eyJ[a-zA-Z0-9]{30,}\.[a-zA-Z0-9_-]{20,})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "sk.",
        "eyJ1IjoiEXAMPLEixwGJLoNrQGiGbABQMlcIsrhXOTCXxHEp.EXAMPLEWLLZeG9PB5TN6Ul"
    )],
    false_positives: &["sk.eyJ"],
    ..BASE
};
