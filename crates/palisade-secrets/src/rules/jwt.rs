//! `jwt`: JSON Web Token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "jwt",
        title: "JSON Web Token",
        provider: "the token issuer",
        severity: Medium,
        related: &["jwt", "jwt-base64"],
        refs: &["https://www.rfc-editor.org/rfc/rfc7519"],
        bad: concat!("eyJhbGciOiJIUzI1NiJ9", ".eyJzdWIiOiJkZW1vIn0.EXAMPLEJ35577OowoFqArA-QyQ59fwhw5ji5dc90l0D"),
        good: "Authorization: Bearer ${TOKEN}   # fetched at runtime",
    ),
    keywords: &["eyj"],
    regex: r#"(?m)\b(eyJ[A-Za-z0-9_-]{10,}={0,2}\.eyJ[A-Za-z0-9_-]{10,}={0,2}\.[A-Za-z0-9_-]*={0,2})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "eyJhbGciOiJIUzI1NiJ9",
        ".eyJzdWIiOiJkZW1vIn0.EXAMPLEJ35577OowoFqArA-QyQ59fwhw5ji5dc90l0D"
    )],
    false_positives: &["eyJhbGciOiJIUzI1NiJ9"],
    ..BASE
};
