//! Microsoft Entra ID rules.

use crate::rule::{SecretRule, BASE};

pub static AZURE_AD_CLIENT_SECRET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "azure-ad-client-secret",
        title: "Azure AD (Entra ID) client secret",
        provider: "Microsoft Entra ID",
        severity: High,
        related: &["azure-ad-client-secret"],
        refs: &[],
        bad: concat!("client_secret=bP8", "8Q~EXAMPLEVvVqE1SkHbn88HxjSI6bWHtP3fS"),
        good: r#"token = os.environ["MICROSOFT_ENTRA_ID_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["q~"],
    regex: r#"(?m)(?:^|[^\w~.-])([\w~.-]{3}[0-9]Q~[\w~.-]{31,34})(?:[^\w~.-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "client_secret=bP8",
        "8Q~EXAMPLEVvVqE1SkHbn88HxjSI6bWHtP3fS"
    )],
    false_positives: &["~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"],
    ..BASE
};

pub static AZURE_STORAGE_KEY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "azure-storage-account-key",
        title: "Azure storage account key",
        provider: "Azure Storage",
        severity: Critical,
        related: &[],
        refs: &[],
        bad: concat!("DefaultEndpointsProtocol=https;AccountName=demo;Account", "Key=EXAMPLE2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmvnEN5N1aE6PwZPf1Qh6yY=="),
        good: r#"token = os.environ["AZURE_STORAGE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["accountkey"],
    regex: r#"(?i)AccountKey\s*=\s*(?-i:([A-Za-z0-9+/]{86}==))"#,
    entropy: 4.0,
    true_positives: &[
        concat!("DefaultEndpointsProtocol=https;AccountName=demo;Account", "Key=EXAMPLE2qHx6kwXoIIXGvOoNZYW2mZp0zVZomHFwUbbYrEqmSM9wCZ7Uw9xfogoEmvnEN5N1aE6PwZPf1Qh6yY=="),
    ],
    false_positives: &[
        "AccountKey=<key>",
    ],
    ..BASE
};

pub static AZURE_DEVOPS_PAT: SecretRule = SecretRule {
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
