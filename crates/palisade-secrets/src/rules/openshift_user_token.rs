//! `openshift-user-token`: OpenShift user token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "openshift-user-token",
        title: "OpenShift user token",
        provider: "OpenShift",
        severity: High,
        related: &["openshift-user-token"],
        refs: &[],
        bad: concat!("sha256", "~EXAMPLEoklzt8QjSOL19HQhkHuHligHqQR_sygt2XLc"),
        good: r#"token = os.environ["OPENSHIFT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sha256~"],
    regex: r#"(?m)\b(sha256~[\w-]{43})(?:[^\w-]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "sha256",
        "~EXAMPLEoklzt8QjSOL19HQhkHuHligHqQR_sygt2XLc"
    )],
    false_positives: &["oc login --token=sha256~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};
