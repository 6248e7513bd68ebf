//! `nuget-api-key`: NuGet API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "nuget-api-key",
        title: "NuGet API key",
        provider: "NuGet",
        severity: Critical,
        related: &[],
        refs: &[],
        bad: concat!("oy", "2examplecfpj6kjwinmovea4c57veemdx0fwk55iqtd3"),
        good: r#"token = os.environ["NUGET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["oy2"],
    regex: r#"(?m)\b(oy2[a-z0-9]{43})\b"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "oy",
        "2examplecfpj6kjwinmovea4c57veemdx0fwk55iqtd3"
    )],
    false_positives: &["oy2short"],
    ..BASE
};
