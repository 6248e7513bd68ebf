//! `sendinblue-api-token`: Brevo (Sendinblue) API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sendinblue-api-token",
        title: "Brevo (Sendinblue) API key",
        provider: "Brevo",
        severity: High,
        related: &["sendinblue-api-token"],
        refs: &[],
        bad: concat!("xkey", "sib-c0ffee78b6e0e30f328549c488e00a4ff1125cf5ec72ba694165beaecba0afa7-EXAMPLEbpD4McOjU"),
        good: r#"token = os.environ["BREVO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xkeysib-"],
    regex: r#"(?m)\b(xkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "xkey",
        "sib-c0ffee78b6e0e30f328549c488e00a4ff1125cf5ec72ba694165beaecba0afa7-EXAMPLEbpD4McOjU"
    )],
    false_positives: &["xkeysib-x"],
    ..BASE
};
