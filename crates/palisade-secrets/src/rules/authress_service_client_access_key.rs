//! `authress-service-client-access-key`: Authress service client access key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "authress-service-client-access-key",
        title: "Authress service client access key",
        provider: "Authress",
        severity: High,
        related: &["authress-service-client-access-key"],
        refs: &[],
        bad: concat!("sc", "_examplemz3.examp.acc_examplelgtgl470cmzz1.examplemx9szz6zmyj6v93cfpe9lxr34vtxl8lkfj7n4vg7jj9ovstfrnza1"),
        good: r#"token = os.environ["AUTHRESS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sc_", "ext_", "scauth_", "authress_"],
    regex: r#"(?m)\b((?:sc|ext|scauth|authress)_[a-z0-9]{5,30}\.[a-z0-9]{4,6}\.acc[_-][a-z0-9-]{10,32}\.[a-z0-9+/_=-]{30,120})"#,
    entropy: 2.0,
    true_positives: &[
        concat!("sc", "_examplemz3.examp.acc_examplelgtgl470cmzz1.examplemx9szz6zmyj6v93cfpe9lxr34vtxl8lkfj7n4vg7jj9ovstfrnza1"),
    ],
    false_positives: &[
        "sc_x",
    ],
    ..BASE
};
