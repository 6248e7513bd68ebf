//! `typeform-api-token`: Typeform personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "typeform-api-token",
        title: "Typeform personal access token",
        provider: "Typeform",
        severity: Medium,
        related: &["typeform-api-token"],
        refs: &[],
        bad: concat!("tf", "p_examplemnbosgmpo4uhcu7f63hpn2t0xaohvzp1pvpyc79tr443ady3ol49"),
        good: r#"token = os.environ["TYPEFORM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["tfp_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(tfp_[a-z0-9_.=-]{59})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "tf",
        "p_examplemnbosgmpo4uhcu7f63hpn2t0xaohvzp1pvpyc79tr443ady3ol49"
    )],
    false_positives: &["tfp_x"],
    ..BASE
};
