//! `grafana-cloud-api-token`: Grafana Cloud access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "grafana-cloud-api-token",
        title: "Grafana Cloud access token",
        provider: "Grafana",
        severity: High,
        related: &["grafana-cloud-api-token", "grafana-api-key"],
        refs: &[],
        bad: concat!("gl", "c_eyJvIjoiEXAMPLElGaOPZG5bPERVcIPoXFQMiPxjyZ48uVc22xQ5PlSobMD5UfCn2csCi1mtVuLm8ezbRkax8EoeExG28VFRnN5nm1EmtYDr="),
        good: r#"token = os.environ["GRAFANA_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["glc_", "eyjrijoi"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(glc_[A-Za-z0-9+/]{32,400}={0,3}|eyJrIjoi[A-Za-z0-9]{70,400}={0,3})(?:[^A-Za-z0-9+/=]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("gl", "c_eyJvIjoiEXAMPLElGaOPZG5bPERVcIPoXFQMiPxjyZ48uVc22xQ5PlSobMD5UfCn2csCi1mtVuLm8ezbRkax8EoeExG28VFRnN5nm1EmtYDr="),
    ],
    false_positives: &[
        r#"GRAFANA="glc_2222222222222222222222222222222222222222=""#,
    ],
    ..BASE
};
