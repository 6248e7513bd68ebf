//! `facebook-access-token`: Facebook app access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-access-token",
        title: "Facebook app access token",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-access-token"],
        refs: &[],
        bad: concat!("facebook ", "1303531796657030|EXAMPLE5EexziHkQlRk2Nj5FtwN"),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["facebook"],
    regex: r#"(?im)facebook.{0,40}?\b([0-9]{15,16}(?:\||%7C)[0-9a-z_-]{27})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "facebook ",
        "1303531796657030|EXAMPLE5EexziHkQlRk2Nj5FtwN"
    )],
    false_positives: &["facebook 12|abc"],
    ..BASE
};
