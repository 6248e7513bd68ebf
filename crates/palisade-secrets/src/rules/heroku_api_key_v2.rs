//! `heroku-api-key-v2`: Heroku API key (HRKU format).

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
