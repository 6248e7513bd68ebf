//! `heroku-api-key`: Heroku API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "heroku-api-key",
        title: "Heroku API key",
        provider: "Heroku",
        severity: High,
        related: &["heroku-api-key"],
        refs: &[],
        bad: concat!("HEROKU_API_KEY=", "c0ffee8b-c0ff-c0ff-c0ff-c0ffee46287c"),
        good: r#"token = os.environ["HEROKU_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["heroku"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:heroku)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        "HEROKU_API_KEY=",
        "c0ffee8b-c0ff-c0ff-c0ff-c0ffee46287c"
    )],
    false_positives: &[r#"heroku_app = "my-app""#],
    ..BASE
};
