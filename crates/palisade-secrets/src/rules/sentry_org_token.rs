//! `sentry-org-token`: Sentry organization auth token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sentry-org-token",
        title: "Sentry organization auth token",
        provider: "Sentry",
        severity: High,
        related: &["sentry-org-token"],
        refs: &[],
        bad: concat!("sntr", "ys_eyJpYXQiOjE3EXAMPLESSlCU4g37Dvu1nby1Yog2nZwQvrNa2me5fkYQQLtQqlcjEg1dyqPfKLodesar27i79wxIUlixYVqxxkHQh3_EXAMPLEp6YksWy7WboPm4oWy2xpP5Eq3adgQy1xpsbE"),
        good: r#"token = os.environ["SENTRY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sntrys_"],
    regex: r#"(?m)\b(sntrys_eyJ[a-zA-Z0-9+/=]{80,}_[a-zA-Z0-9+/]{43})"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sntr", "ys_eyJpYXQiOjE3EXAMPLESSlCU4g37Dvu1nby1Yog2nZwQvrNa2me5fkYQQLtQqlcjEg1dyqPfKLodesar27i79wxIUlixYVqxxkHQh3_EXAMPLEp6YksWy7WboPm4oWy2xpP5Eq3adgQy1xpsbE"),
    ],
    false_positives: &[
        "sntrys_eyJ",
    ],
    ..BASE
};
