//! `aws-bedrock-short-term-api-key`: Amazon Bedrock short-term API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "aws-bedrock-short-term-api-key",
        title: "Amazon Bedrock short-term API key",
        provider: "Amazon Bedrock",
        severity: High,
        related: &["aws-amazon-bedrock-api-key-short-lived"],
        refs: &[],
        bad: concat!("bedrock-api-", "key-YmVkcm9jay5hbWF6b25hd3MuY29tEXAMPLEQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmenC"),
        good: r#"token = os.environ["AMAZON_BEDROCK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["bedrock-api-key-"],
    regex: r#"(?m)(bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,}={0,2})"#,
    true_positives: &[
        concat!("bedrock-api-", "key-YmVkcm9jay5hbWF6b25hd3MuY29tEXAMPLEQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1LlqsajAIxNKu8iS2G8NPRVdD53X83RZJzzzzgEOzdmenC"),
    ],
    false_positives: &[
        "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tshort",
    ],
    ..BASE
};
