//! `azure-devops-pat`: Azure DevOps personal access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "azure-devops-pat",
        title: "Azure DevOps personal access token",
        provider: "Azure DevOps",
        severity: High,
        related: &[],
        refs: &[],
        bad: concat!("AZURE_DEVOPS_PAT=", "examplewygpfnzukczxm2mxcxffeaes2zuettpvlerreaazxudqx"),
        good: r#"token = os.environ["AZURE_DEVOPS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["azure", "ado_", "devops"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:azure[\w.-]{0,10}(?:devops|pat)|ado_?pat|devops_?pat)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z2-7]{52}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "AZURE_DEVOPS_PAT=",
        "examplewygpfnzukczxm2mxcxffeaes2zuettpvlerreaazxudqx"
    )],
    false_positives: &["AZURE_DEVOPS_PAT=$(PAT)"],
    ..BASE
};
