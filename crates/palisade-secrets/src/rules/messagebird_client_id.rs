//! `messagebird-client-id`: MessageBird client ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "messagebird-client-id",
        title: "MessageBird client ID",
        provider: "MessageBird",
        severity: Low,
        related: &["messagebird-client-id"],
        refs: &[],
        bad: concat!(r#"MESSAGEBIRD_CLIENT_ID = ""#, r#"c0ffee58-c0ff-c0ff-c0ff-c0ffee805870""#),
        good: r#"token = os.environ["MESSAGEBIRD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["messagebird", "message-bird", "message_bird"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:message[_-]?bird)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"MESSAGEBIRD_CLIENT_ID = ""#,
        r#"c0ffee58-c0ff-c0ff-c0ff-c0ffee805870""#
    )],
    false_positives: &[r#"messagebird_client_id = """#],
    ..BASE
};
