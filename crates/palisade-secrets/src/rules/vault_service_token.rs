//! `vault-service-token`: HashiCorp Vault service token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "vault-service-token",
        title: "HashiCorp Vault service token",
        provider: "HashiCorp Vault",
        severity: Critical,
        related: &["vault-service-token"],
        refs: &[],
        bad: concat!("hv", "s.EXAMPLEttFPSuEPyHnvnzXtsMM3JznnJAX7ebZ3CL7csGZaF31DDxp63OHm1FZuG296c0xPbX_neGBuzSm6A8cVR06AxYpThGJWZ"),
        good: r#"token = os.environ["HASHICORP_VAULT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hvs.", "s."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(hvs\.[\w-]{90,120}|s\.[a-zA-Z0-9]{24})(?:[^\w.-]|$)"#,
    entropy: 3.5,
    validate: Some(crate::validate::vault_token),
    true_positives: &[
        concat!("hv", "s.EXAMPLEttFPSuEPyHnvnzXtsMM3JznnJAX7ebZ3CL7csGZaF31DDxp63OHm1FZuG296c0xPbX_neGBuzSm6A8cVR06AxYpThGJWZ"),
        concat!("token: s", ".Zc9EEXAMPLEdaeA6AOSRwLqg"),
    ],
    false_positives: &[
        "s.ALLCAPSWORDSWITHOUTDIGIT",
        "s.loadUserProfileFromCache()",
        "s.openConnectionPoolTimeout ",
    ],
    ..BASE
};
