//! `planetscale-token`: PlanetScale password or token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "planetscale-token",
        title: "PlanetScale password or token",
        provider: "PlanetScale",
        severity: High,
        related: &["planetscale-password", "planetscale-api-token", "planetscale-oauth-token"],
        refs: &[],
        bad: concat!("pscale", "_pw_EXAMPLEUAD3GUcIhRU0e3NDRR8nx_nVzI_fqR14K1tO"),
        good: r#"token = os.environ["PLANETSCALE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pscale_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pscale_(?:pw|tkn|oauth)_[\w.=-]{32,64})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pscale",
        "_pw_EXAMPLEUAD3GUcIhRU0e3NDRR8nx_nVzI_fqR14K1tO"
    )],
    false_positives: &["pscale_pw_x"],
    ..BASE
};
