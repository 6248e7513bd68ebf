//! `azure-ad-client-secret`: Azure AD (Entra ID) client secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "azure-ad-client-secret",
        title: "Azure AD (Entra ID) client secret",
        provider: "Microsoft Entra ID",
        severity: High,
        related: &["azure-ad-client-secret"],
        refs: &[],
        bad: concat!("client_secret=bP8", "8Q~EXAMPLEVvVqE1SkHbn88HxjSI6bWHtP3fS"),
        good: r#"token = os.environ["MICROSOFT_ENTRA_ID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["q~"],
    regex: r#"(?m)(?:^|[^\w~.-])([\w~.-]{3}[0-9]Q~[\w~.-]{31,34})(?:[^\w~.-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "client_secret=bP8",
        "8Q~EXAMPLEVvVqE1SkHbn88HxjSI6bWHtP3fS"
    )],
    false_positives: &["~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"],
    ..BASE
};
