//! `vault-batch-token`: HashiCorp Vault batch token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "vault-batch-token",
        title: "HashiCorp Vault batch token",
        provider: "HashiCorp Vault",
        severity: Critical,
        related: &["vault-batch-token"],
        refs: &[],
        bad: concat!("hv", "b.EXAMPLECMZCY7Bvqiy8CsT07Lq8TDIWG2x9aJTFMP9_2kUtMXhkPrSbbAjLGmsDx5StAZvlMz-Bk4opH1Dr8-h97s_F-vauP7-L7V21jxUdcfQm9_seB1qRmUR8AK3R2GgLLT-ZQISA-pQyOMqlfZZ"),
        good: r#"token = os.environ["HASHICORP_VAULT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hvb."],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(hvb\.[\w-]{138,300})(?:[^\w-]|$)"#,
    entropy: 3.5,
    true_positives: &[
        concat!("hv", "b.EXAMPLECMZCY7Bvqiy8CsT07Lq8TDIWG2x9aJTFMP9_2kUtMXhkPrSbbAjLGmsDx5StAZvlMz-Bk4opH1Dr8-h97s_F-vauP7-L7V21jxUdcfQm9_seB1qRmUR8AK3R2GgLLT-ZQISA-pQyOMqlfZZ"),
    ],
    false_positives: &[
        "hvb.short",
    ],
    ..BASE
};
