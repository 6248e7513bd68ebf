//! `azure-storage-account-key`: Azure storage account key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
