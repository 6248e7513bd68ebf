//! `scalingo-api-token`: Scalingo API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "scalingo-api-token",
        title: "Scalingo API token",
        provider: "Scalingo",
        severity: High,
        related: &["scalingo-api-token"],
        refs: &[],
        bad: concat!("tk-", "us-EXAMPLELx194_8J8z8svDjTXiZmT2QTYt7af9TZ3MuasUZPC"),
        good: r#"token = os.environ["SCALINGO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["tk-us-"],
    regex: r#"(?m)\b(tk-us-[\w-]{48})(?:[^\w-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "tk-",
        "us-EXAMPLELx194_8J8z8svDjTXiZmT2QTYt7af9TZ3MuasUZPC"
    )],
    false_positives: &["tk-us-x"],
    ..BASE
};
