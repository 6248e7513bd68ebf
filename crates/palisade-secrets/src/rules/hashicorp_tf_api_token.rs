//! `hashicorp-tf-api-token`: Terraform Cloud / HCP Terraform API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "hashicorp-tf-api-token",
        title: "Terraform Cloud / HCP Terraform API token",
        provider: "HashiCorp Terraform",
        severity: Critical,
        related: &["hashicorp-tf-api-token"],
        refs: &[],
        bad: concat!("exampleuwgzzf1.atlas", "v1.EXAMPLE4PbxntqB5IGky4Oo8DiIMWSWMPcwLuHj31CQJVukDCSXqLoivDP4SpGmrtWT"),
        good: r#"token = os.environ["HASHICORP_TERRAFORM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["atlasv1"],
    regex: r#"(?im)(?:^|[^A-Za-z0-9_])([a-z0-9]{14}\.atlasv1\.[a-z0-9=_-]{60,70})(?:[^a-z0-9=_-]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "exampleuwgzzf1.atlas",
        "v1.EXAMPLE4PbxntqB5IGky4Oo8DiIMWSWMPcwLuHj31CQJVukDCSXqLoivDP4SpGmrtWT"
    )],
    false_positives: &[
        r#"token        = "xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#,
    ],
    ..BASE
};
