//! `1password-secret-key`: 1Password secret key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "1password-secret-key",
        title: "1Password secret key",
        provider: "1Password",
        severity: Critical,
        related: &["1password-secret-key"],
        refs: &[],
        bad: concat!("A3-", "ASWWYB-798JRY-Q7RT2-EXAMP-EXAMP-EXAMP"),
        good: r#"token = os.environ["1PASSWORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["a3-"],
    regex: r#"(?m)\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("A3-", "ASWWYB-798JRY-Q7RT2-EXAMP-EXAMP-EXAMP")],
    false_positives: &["A3-XXXXXX-XXXXXXXXXXX-XXXXX-XXXXX-XXXXX"],
    ..BASE
};
