//! `grafana-service-account-token`: Grafana service account token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "grafana-service-account-token",
        title: "Grafana service account token",
        provider: "Grafana",
        severity: High,
        related: &["grafana-service-account-token"],
        refs: &[],
        bad: concat!("gl", "sa_EXAMPLEo9WucAlvAQTbKxXkp01ajMZqM_c0ffeeef"),
        good: r#"token = os.environ["GRAFANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glsa_"],
    regex: r#"(?m)\b(glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8})\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "gl",
        "sa_EXAMPLEo9WucAlvAQTbKxXkp01ajMZqM_c0ffeeef"
    )],
    false_positives: &["glsa_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX_AAAAAAAA"],
    ..BASE
};
