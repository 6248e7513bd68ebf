//! `aws-access-key-id`: AWS access key ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
