//! `shopify-access-token`: Shopify access token or shared secret.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "shopify-access-token",
        title: "Shopify access token or shared secret",
        provider: "Shopify",
        severity: High,
        related: &["shopify-access-token", "shopify-custom-access-token", "shopify-private-app-access-token", "shopify-shared-secret"],
        refs: &[],
        bad: concat!("shp", "at_c0ffee8c3bb9e28c9e3ef5404bf7bac8"),
        good: r#"token = os.environ["SHOPIFY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["shpat_", "shpca_", "shppa_", "shpss_"],
    regex: r#"(?m)\b((?:shpat|shpca|shppa|shpss)_[a-fA-F0-9]{32})\b"#,
    entropy: 3.0,
    true_positives: &[concat!("shp", "at_c0ffee8c3bb9e28c9e3ef5404bf7bac8")],
    false_positives: &["shpat_x"],
    ..BASE
};
