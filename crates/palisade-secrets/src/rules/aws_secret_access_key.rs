//! `aws-secret-access-key`: AWS secret access key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
