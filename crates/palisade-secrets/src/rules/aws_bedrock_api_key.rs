//! `aws-bedrock-api-key`: Amazon Bedrock long-term API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "aws-bedrock-api-key",
        title: "Amazon Bedrock long-term API key",
        provider: "Amazon Bedrock",
        severity: High,
        related: &["aws-amazon-bedrock-api-key-long-lived"],
        refs: &[],
        bad: concat!("ABSKQmVkcm9ja0FQSUtleS", "1EXAMPLEzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES="),
        good: r#"token = os.environ["AMAZON_BEDROCK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["absk"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{100,112}={0,2})(?:[^A-Za-z0-9+/=]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("ABSKQmVkcm9ja0FQSUtleS", "1EXAMPLEzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXuDL7DxtpYlSXpfKtHF4vUCsMehGAkWvj7FAc9QeWJKY40uvSwMFLZDe1f8rES="),
    ],
    false_positives: &[
        "ABSKQmVkcm9ja0FQSUtleS1TooShort",
    ],
    ..BASE
};
