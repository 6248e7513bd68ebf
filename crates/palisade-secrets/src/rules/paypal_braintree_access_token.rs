//! `paypal-braintree-access-token`: PayPal Braintree access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "paypal-braintree-access-token",
        title: "PayPal Braintree access token",
        provider: "PayPal Braintree",
        severity: Critical,
        related: &[],
        refs: &[],
        bad: concat!("access_token$prod", "uction$examplepywez7rue$c0ffee788fbf742b65b754e51acbd3d4"),
        good: r#"token = os.environ["PAYPAL_BRAINTREE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["access_token$production$"],
    regex: r#"(?m)(access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "access_token$prod",
        "uction$examplepywez7rue$c0ffee788fbf742b65b754e51acbd3d4"
    )],
    false_positives: &["access_token$production$x"],
    ..BASE
};
