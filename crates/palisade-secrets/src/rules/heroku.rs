//! Heroku rules.

use crate::rule::{SecretRule, BASE};

pub static HEROKU_API_KEY: SecretRule = SecretRule {
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

pub static HEROKU_API_KEY_V2: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "heroku-api-key-v2",
        title: "Heroku API key (HRKU format)",
        provider: "Heroku",
        severity: High,
        related: &["heroku-api-key-v2"],
        refs: &[],
        bad: concat!("HR", "KU-AAEXAMPLEZ53Ncqe28_ajY75FnCttn6kfaqDeMqG3omjMyXHCabM6JOF8EFd"),
        good: r#"token = os.environ["HEROKU_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hrku-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(HRKU-AA[0-9A-Za-z_-]{58})(?:[^0-9A-Za-z_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "HR",
        "KU-AAEXAMPLEZ53Ncqe28_ajY75FnCttn6kfaqDeMqG3omjMyXHCabM6JOF8EFd"
    )],
    false_positives: &["HRKU-AAshort"],
    ..BASE
};
