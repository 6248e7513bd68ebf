//! `flutterwave-secret-key`: Flutterwave secret or encryption key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "flutterwave-secret-key",
        title: "Flutterwave secret or encryption key",
        provider: "Flutterwave",
        severity: High,
        related: &["flutterwave-secret-key", "flutterwave-public-key", "flutterwave-encryption-key"],
        refs: &[],
        bad: concat!("FLWSE", "CK_TEST-c0ffee06081598a878e2f264d9b1ecb1-X"),
        good: r#"token = os.environ["FLUTTERWAVE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["flwseck", "flwpubk", "flwseck_test"],
    regex: r#"(?m)\b(FLW(?:SECK|PUBK)_TEST-[a-h0-9]{32}-X|FLWSECK_TEST-?[a-h0-9]{12})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "FLWSE",
        "CK_TEST-c0ffee06081598a878e2f264d9b1ecb1-X"
    )],
    false_positives: &["FLWSECK_TEST-x"],
    ..BASE
};
