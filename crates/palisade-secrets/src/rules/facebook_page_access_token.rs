//! `facebook-page-access-token`: Facebook page or user access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "facebook-page-access-token",
        title: "Facebook page or user access token",
        provider: "Meta (Facebook)",
        severity: High,
        related: &["facebook-page-access-token"],
        refs: &[],
        bad: concat!("EA", "AMEXAMPLEBu76gTGB7kLcFh2VPVk0OYdsGcvdgHVVTmGzkoQnBqQDfp5DaSoQzgmAfIRsxvprQQvoczAS2BejfedImq6OgyGRFqmgQ7FKZCse7L05EijeEBiQRbSlLUcYTYZehZupdoL8UrwkS1xAT0r"),
        good: r#"token = os.environ["META_(FACEBOOK)_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["eaam", "eaac"],
    regex: r#"(?m)\b(EAA[MC][a-zA-Z0-9]{100,})\b"#,
    entropy: 4.0,
    true_positives: &[
        concat!("EA", "AMEXAMPLEBu76gTGB7kLcFh2VPVk0OYdsGcvdgHVVTmGzkoQnBqQDfp5DaSoQzgmAfIRsxvprQQvoczAS2BejfedImq6OgyGRFqmgQ7FKZCse7L05EijeEBiQRbSlLUcYTYZehZupdoL8UrwkS1xAT0r"),
    ],
    false_positives: &[
        "eaaaD1c86b0430aefe3e0b13c58f1228942c93d1",
    ],
    ..BASE
};
