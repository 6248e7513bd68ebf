//! `stripe-access-token`: Stripe secret or restricted key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "stripe-access-token",
        title: "Stripe secret or restricted key",
        provider: "Stripe",
        severity: Critical,
        related: &["stripe-access-token"],
        refs: &["https://docs.stripe.com/keys"],
        bad: concat!("sk_", "live_EXAMPLENihdIGnJXlq8MxVj5l3V26XkHbwXTpC3FnO6w5ZyDnuY5bgQUaeZP6zR3wdoKyA66y8QO3obqbqTBpownuWBPrt4FnKY"),
        good: r#"token = os.environ["STRIPE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk_test", "sk_live", "sk_prod", "rk_test", "rk_live", "rk_prod"],
    regex: r#"(?m)\b((?:sk|rk)_(?:test|live|prod)_[a-zA-Z0-9]{10,99})\b"#,
    entropy: 2.5,
    true_positives: &[
        concat!("sk_", "live_EXAMPLENihdIGnJXlq8MxVj5l3V26XkHbwXTpC3FnO6w5ZyDnuY5bgQUaeZP6zR3wdoKyA66y8QO3obqbqTBpownuWBPrt4FnKY"),
        concat!("rk_", "test_EXAMPLEkE373Xr9Wi0tsfvaF35pkuRNM9CnLd4Yn"),
    ],
    false_positives: &[
        "sk_test_xxxxxxxxxxxxxxxx",
    ],
    ..BASE
};
