//! `databricks-api-token`: Databricks personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "databricks-api-token",
        title: "Databricks personal access token",
        provider: "Databricks",
        severity: High,
        related: &["databricks-api-token"],
        refs: &[],
        bad: concat!("da", "pic0ffee22136ced620104d159e8489b0a"),
        good: r#"token = os.environ["DATABRICKS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dapi"],
    regex: r#"(?m)\b(dapi[a-f0-9]{32}(?:-\d)?)\b"#,
    entropy: 3.0,
    true_positives: &[concat!("da", "pic0ffee22136ced620104d159e8489b0a")],
    false_positives: &["DATABRICKS_TOKEN=dapi0f1e2d3c4b5a69788796a5b4c3d2e1fzq9"],
    ..BASE
};
