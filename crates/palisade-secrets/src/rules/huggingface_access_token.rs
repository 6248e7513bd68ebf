//! `huggingface-access-token`: Hugging Face access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "huggingface-access-token",
        title: "Hugging Face access token",
        provider: "Hugging Face",
        severity: High,
        related: &["huggingface-access-token"],
        refs: &[],
        bad: concat!("h", "f_EXAMPLEgWTgljZHkNGugGYyaebJPfGJNNM"),
        good: r#"token = os.environ["HUGGING_FACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hf_"],
    regex: r#"(?m)\b(hf_(?-i:[a-zA-Z]{34}))\b"#,
    entropy: 3.0,
    validate: Some(crate::validate::mixed_case),
    true_positives: &[concat!("h", "f_EXAMPLEgWTgljZHkNGugGYyaebJPfGJNNM")],
    false_positives: &["- (void)hf_loadAccessoryConfigurationForCurrentHomeScreen;"],
    ..BASE
};
