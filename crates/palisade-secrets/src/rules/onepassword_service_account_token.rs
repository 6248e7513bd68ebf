//! `1password-service-account-token`: 1Password service account token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "1password-service-account-token",
        title: "1Password service account token",
        provider: "1Password",
        severity: Critical,
        related: &["1password-service-account-token"],
        refs: &[],
        bad: concat!("ops_", "eyJEXAMPLEotZeZEgeLjmYTCZDY0oNf0QEKBiam7Lng1ODpWqGBHIvUdboUboGsnOTSDNm5lntQ5qikdoDXv0TTR9SYZtzuHUtdXMufsduGpjl7O4pDbmuhYGTH3xRTEHtXegQeNyBEeqZQGoCu2E8TAXTxICX7U7uNdgXDfO7ric286JieDRNctQe2WQXvBHfjzSgT9Vdcs6XQiHgSeuk0IM1AkplyWZBTvxh5pDJhfq8V85U5yEo9lMZsWDzTmUYiVm69Fg30GvZpbqGE0Sj2NuulUV2vRmQAd0a3oKwaYWqM"),
        good: r#"token = os.environ["1PASSWORD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["ops_eyj"],
    regex: r#"(?m)(ops_eyJ[a-zA-Z0-9+/]{250,}={0,3})"#,
    entropy: 4.0,
    true_positives: &[
        concat!("ops_", "eyJEXAMPLEotZeZEgeLjmYTCZDY0oNf0QEKBiam7Lng1ODpWqGBHIvUdboUboGsnOTSDNm5lntQ5qikdoDXv0TTR9SYZtzuHUtdXMufsduGpjl7O4pDbmuhYGTH3xRTEHtXegQeNyBEeqZQGoCu2E8TAXTxICX7U7uNdgXDfO7ric286JieDRNctQe2WQXvBHfjzSgT9Vdcs6XQiHgSeuk0IM1AkplyWZBTvxh5pDJhfq8V85U5yEo9lMZsWDzTmUYiVm69Fg30GvZpbqGE0Sj2NuulUV2vRmQAd0a3oKwaYWqM"),
    ],
    false_positives: &[
        "ops_eyJhbGciOi..[hidden]",
    ],
    ..BASE
};
