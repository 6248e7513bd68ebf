//! `square-secret`: Square OAuth application secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "square-secret",
        title: "Square OAuth application secret",
        provider: "Square",
        severity: Critical,
        related: &["square-secret"],
        refs: &[],
        bad: concat!("sq0c", "sp-EXAMPLEf6KQ0IZ2O1XtXX0saEGWEzolegZP4O6a88RW"),
        good: r#"token = os.environ["SQUARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sq0csp-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(sq0csp-[\w-]{43})(?:[^\w-]|$)"#,
    entropy: 2.0,
    true_positives: &[concat!(
        "sq0c",
        "sp-EXAMPLEf6KQ0IZ2O1XtXX0saEGWEzolegZP4O6a88RW"
    )],
    false_positives: &["sq0csp-x"],
    ..BASE
};
