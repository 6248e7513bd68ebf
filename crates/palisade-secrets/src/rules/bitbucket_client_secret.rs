//! `bitbucket-client-secret`: Bitbucket OAuth client secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "bitbucket-client-secret",
        title: "Bitbucket OAuth client secret",
        provider: "Bitbucket",
        severity: High,
        related: &["bitbucket-client-secret"],
        refs: &[],
        bad: concat!("BITBUCKET_CLIENT_SECRET=", "EXAMPLEluCZz8xBfZuXTptFyfePpX6N1NF2XV54wca_7E56w8ZniqT3Ul4ffqkOk"),
        good: r#"token = os.environ["BITBUCKET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["bitbucket"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:bitbucket)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[\w=-]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "BITBUCKET_CLIENT_SECRET=",
        "EXAMPLEluCZz8xBfZuXTptFyfePpX6N1NF2XV54wca_7E56w8ZniqT3Ul4ffqkOk"
    )],
    false_positives: &[r#"bitbucket_secret = """#],
    ..BASE
};
