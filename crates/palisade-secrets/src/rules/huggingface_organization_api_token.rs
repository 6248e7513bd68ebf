//! `huggingface-organization-api-token`: Hugging Face organization API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "huggingface-organization-api-token",
        title: "Hugging Face organization API token",
        provider: "Hugging Face",
        severity: High,
        related: &["huggingface-organization-api-token"],
        refs: &[],
        bad: concat!("api_", "org_EXAMPLEYZIeTdQINsDzQaJVnblGZDnhTPV"),
        good: r#"token = os.environ["HUGGING_FACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["api_org_"],
    regex: r#"(?m)\b(api_org_(?-i:[a-zA-Z]{34}))\b"#,
    entropy: 3.0,
    validate: Some(crate::validate::mixed_case),
    true_positives: &[concat!("api_", "org_EXAMPLEYZIeTdQINsDzQaJVnblGZDnhTPV")],
    false_positives: &["const api_org_controller = 1;"],
    ..BASE
};
