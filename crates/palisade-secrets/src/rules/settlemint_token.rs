//! `settlemint-token`: SettleMint access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "settlemint-token",
        title: "SettleMint access token",
        provider: "SettleMint",
        severity: Medium,
        related: &["settlemint-application-access-token", "settlemint-personal-access-token", "settlemint-service-access-token"],
        refs: &[],
        bad: concat!("sm_", "pat_EXAMPLEq3TlxqSN7"),
        good: r#"token = os.environ["SETTLEMINT_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sm_aat_", "sm_pat_", "sm_sat_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(sm_(?:aat|pat|sat)_[a-zA-Z0-9]{16})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("sm_", "pat_EXAMPLEq3TlxqSN7")],
    false_positives: &["sm_pat_x"],
    ..BASE
};
