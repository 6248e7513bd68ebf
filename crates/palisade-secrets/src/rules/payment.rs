//! Stripe rules.

use crate::rule::{SecretRule, BASE};

pub static STRIPE: SecretRule = SecretRule {
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

pub static SQUARE_ACCESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "square-access-token",
        title: "Square access token",
        provider: "Square",
        severity: Critical,
        related: &["square-access-token"],
        refs: &[],
        bad: concat!("sq0a", "tp-EXAMPLEUf4x3rMdotbrMtT"),
        good: r#"token = os.environ["SQUARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sq0atp-", "eaaa"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(EAAA[\w-]{60}|sq0atp-[\w-]{22})(?:[^\w\\-]|$)"#,
    entropy: 2.0,
    true_positives: &[
        concat!("sq0a", "tp-EXAMPLEUf4x3rMdotbrMtT"),
        concat!(
            "EA",
            "AAEXAMPLEmv7Yl1RYQeEzberD3ncgOiop_r2awCsoT-jSBCjIwbHIifzg0UIbP"
        ),
    ],
    false_positives: &[
        "alpine@sha256:eaaa0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d",
    ],
    ..BASE
};

pub static SQUARE_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "square-secret",
        title: "Square OAuth application secret",
        provider: "Square",
        severity: Critical,
        related: &["square-secret"],
        refs: &[],
        bad: concat!("sq0c", "sp-EXAMPLEf6KQ0IZ2O1XtXX0saEGWEzolegZP4O6a88RW"),
        good: r#"token = os.environ["SQUARE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sq0csp-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(sq0csp-[\w-]{43})(?:[^\w-]|$)"#,
    entropy: 2.0,
    true_positives: &[concat!(
        "sq0c",
        "sp-EXAMPLEf6KQ0IZ2O1XtXX0saEGWEzolegZP4O6a88RW"
    )],
    false_positives: &["sq0csp-x"],
    ..BASE
};

pub static PAYPAL_BRAINTREE: SecretRule = SecretRule {
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

pub static SHOPIFY: SecretRule = SecretRule {
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

pub static FLUTTERWAVE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "flutterwave-secret-key",
        title: "Flutterwave secret or encryption key",
        provider: "Flutterwave",
        severity: High,
        related: &["flutterwave-secret-key", "flutterwave-public-key", "flutterwave-encryption-key"],
        refs: &[],
        bad: concat!("FLWSE", "CK_TEST-c0ffee06081598a878e2f264d9b1ecb1-X"),
        good: r#"token = os.environ["FLUTTERWAVE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["flwseck", "flwpubk", "flwseck_test"],
    regex: r#"(?m)\b(FLW(?:SECK|PUBK)_TEST-[a-h0-9]{32}-X|FLWSECK_TEST-?[a-h0-9]{12})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "FLWSE",
        "CK_TEST-c0ffee06081598a878e2f264d9b1ecb1-X"
    )],
    false_positives: &["FLWSECK_TEST-x"],
    ..BASE
};

pub static GOCARDLESS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "gocardless-api-token",
        title: "GoCardless access token",
        provider: "GoCardless",
        severity: High,
        related: &["gocardless-api-token"],
        refs: &[],
        bad: concat!("GOCARDLESS_TOKEN=", "live_examples01qwpyimxenvef2yz705bg33104le2z5"),
        good: r#"token = os.environ["GOCARDLESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["live_", "gocardless"],
    regex: r#"(?im)gocardless[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?(live_[a-z0-9_=-]{40})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "GOCARDLESS_TOKEN=",
        "live_examples01qwpyimxenvef2yz705bg33104le2z5"
    )],
    false_positives: &[r#"gocardless_env = "sandbox""#],
    ..BASE
};

pub static COINBASE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "coinbase-access-token",
        title: "Coinbase access token",
        provider: "Coinbase",
        severity: High,
        related: &["coinbase-access-token"],
        refs: &[],
        bad: concat!("COINBASE_TOKEN=", "examplei6aomz8cs9vy3hfoeag5fn3dmv4d90i0djuvm7al8r7qfuyqt9z60dttp"),
        good: r#"token = os.environ["COINBASE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["coinbase"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:coinbase)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{64}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "COINBASE_TOKEN=",
        "examplei6aomz8cs9vy3hfoeag5fn3dmv4d90i0djuvm7al8r7qfuyqt9z60dttp"
    )],
    false_positives: &[r#"coinbase_env = "x""#],
    ..BASE
};

pub static PLAID: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "plaid-secret-key",
        title: "Plaid secret or access token",
        provider: "Plaid",
        severity: High,
        related: &["plaid-secret-key", "plaid-api-token", "plaid-client-id"],
        refs: &[],
        bad: concat!("PLAID_SECRET=", "c0ffeecd896416bef4ba6e1a02da18"),
        good: r#"token = os.environ["PLAID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[
        "plaid",
        "access-sandbox",
        "access-production",
        "access-development",
    ],
    regex: r#"(?im)(?:(?:plaid)[\w.-]{0,20}(?:secret|key)[\w.-]{0,10}\s*[\'"]?\s*(?:=|:)\s*[\'"]?(?-i:([a-f0-9]{30}))\b|\b(access-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b)"#,
    entropy: 3.0,
    true_positives: &[concat!("PLAID_SECRET=", "c0ffeecd896416bef4ba6e1a02da18")],
    false_positives: &[r#"plaid_env = "sandbox""#],
    ..BASE
};

pub static KRAKEN: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "kraken-access-token",
        title: "Kraken API key",
        provider: "Kraken",
        severity: High,
        related: &["kraken-access-token"],
        refs: &[],
        bad: concat!("KRAKEN_API_SECRET=", "EXAMPLEoYCsmTnZLNDz7UCn4ndlB2Ohdi34e0MFla7UJVZkFoRURVsZnI1kjX6TnHgDgmYf8dAoQ1qT5CRBj3d7S"),
        good: r#"token = os.environ["KRAKEN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["kraken"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:kraken)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9/=_+-]{80,90}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "KRAKEN_API_SECRET=",
        "EXAMPLEoYCsmTnZLNDz7UCn4ndlB2Ohdi34e0MFla7UJVZkFoRURVsZnI1kjX6TnHgDgmYf8dAoQ1qT5CRBj3d7S"
    )],
    false_positives: &[r#"kraken_pair = "XBTUSD""#],
    ..BASE
};

pub static KUCOIN: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "kucoin-secret-key",
        title: "KuCoin API key or secret",
        provider: "KuCoin",
        severity: High,
        related: &["kucoin-access-token", "kucoin-secret-key"],
        refs: &[],
        bad: concat!("KUCOIN_KEY=", "c0ffee415e97a498a647c1ac"),
        good: r#"token = os.environ["KUCOIN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["kucoin"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:kucoin)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-f0-9]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("KUCOIN_KEY=", "c0ffee415e97a498a647c1ac")],
    false_positives: &[r#"kucoin_pair = "x""#],
    ..BASE
};

pub static BITTREX: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "bittrex-access-key",
        title: "Bittrex API key or secret",
        provider: "Bittrex",
        severity: High,
        related: &["bittrex-access-key", "bittrex-secret-key"],
        refs: &[],
        bad: concat!("BITTREX_KEY=", "examplejso8fm3jl1vzhcwhn77es5wb5"),
        good: r#"token = os.environ["BITTREX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["bittrex"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:bittrex)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("BITTREX_KEY=", "examplejso8fm3jl1vzhcwhn77es5wb5")],
    false_positives: &[r#"bittrex_pair = "x""#],
    ..BASE
};
