//! `anthropic-api-key`: Anthropic API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "anthropic-api-key",
        title: "Anthropic API key",
        provider: "Anthropic",
        severity: High,
        related: &["anthropic-api-key"],
        refs: &[],
        bad: concat!("sk-ant-", "api03-EXAMPLEWKqXJiIBCNmUkUcjpPBa6r5Jh5ef7o9CLRQDBAKdCwdI2ViJloZX0ChVQGj9r366yRyoZvKyjc4zzHzLcciTA1AA"),
        good: r#"token = os.environ["ANTHROPIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk-ant-api03"],
    regex: r#"(?m)\b(sk-ant-api03-[a-zA-Z0-9_-]{93}AA)(?:[^a-zA-Z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sk-ant-", "api03-EXAMPLEWKqXJiIBCNmUkUcjpPBa6r5Jh5ef7o9CLRQDBAKdCwdI2ViJloZX0ChVQGj9r366yRyoZvKyjc4zzHzLcciTA1AA"),
    ],
    false_positives: &[
        "sk-ant-api03-abc",
    ],
    ..BASE
};
