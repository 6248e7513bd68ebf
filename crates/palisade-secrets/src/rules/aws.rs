//! AWS rules.

use crate::rule::{SecretRule, BASE};

pub static AWS_ACCESS_KEY_ID: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "aws-access-key-id",
        title: "AWS access key ID",
        provider: "AWS",
        severity: Critical,
        related: &["aws-access-token"],
        refs: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"],
        bad: concat!("aws_access_key_id = AK", "IAIOSFODNN7EXAMPLE  # AWS documentation example"),
        good: r#"token = os.environ["AWS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["akia", "asia", "abia", "acca", "a3t"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9/+])((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?:[^A-Za-z0-9/+=]|$)"#,
    entropy: 3.0,
    stopwords: &["example"],
    true_positives: &[
        concat!("key = AK", "IAQZWTRPLUJZDEGXDN"),
        concat!("aws_access_key_id: AS", "IAQZWTRPLCF32EPF3D"),
    ],
    false_positives: &[
        "aws_key = AKIAZZZZZZZZZZZZZZZZ",
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "BIGMEETINGINASIAWASGREATFORALL",
    ],
    ..BASE
};

pub static AWS_SECRET_ACCESS_KEY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "aws-secret-access-key",
        title: "AWS secret access key",
        provider: "AWS",
        severity: Critical,
        related: &[],
        refs: &["https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html"],
        bad: concat!("aws_secret_access_key = wJal", "rXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY  # AWS documentation example"),
        good: r#"token = os.environ["AWS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["aws"],
    regex: r#"(?im)aws[\w.-]{0,20}?(?:secret|sk)[\w.-]{0,20}?[\s\'"]{0,3}(?::{1,3}=|=>|=|:)[\s\'"\x60]{0,5}([A-Za-z0-9/+=]{40})(?:[^A-Za-z0-9/+=]|$)"#,
    entropy: 4.0,
    true_positives: &[concat!(
        r#"aws_secret_access_key = "wJal"#,
        r#"rXUtnFEMI/K7MDENG/EXAMPLE0Kh8oOOL8dK""#
    )],
    false_positives: &["aws_secret_access_key = ${AWS_SECRET}"],
    ..BASE
};

pub static AWS_BEDROCK_LONG: SecretRule = SecretRule {
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

pub static AWS_BEDROCK_SHORT: SecretRule = SecretRule {
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
