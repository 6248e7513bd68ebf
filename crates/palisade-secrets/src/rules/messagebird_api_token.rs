//! `messagebird-api-token`: MessageBird API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "messagebird-api-token",
        title: "MessageBird API token",
        provider: "MessageBird",
        severity: High,
        related: &["messagebird-api-token"],
        refs: &[],
        bad: concat!("MESSAGEBIRD_API_KEY=", "EXAMPLELltLwDwXSBU37e1Fu5"),
        good: r#"token = os.environ["MESSAGEBIRD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["messagebird", "message-bird", "message_bird"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:message[_-]?bird)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{25}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("MESSAGEBIRD_API_KEY=", "EXAMPLELltLwDwXSBU37e1Fu5")],
    false_positives: &[r#"messagebird_api_key = """#],
    ..BASE
};
