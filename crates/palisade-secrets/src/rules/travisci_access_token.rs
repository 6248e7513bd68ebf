//! `travisci-access-token`: Travis CI access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "travisci-access-token",
        title: "Travis CI access token",
        provider: "Travis CI",
        severity: High,
        related: &["travisci-access-token"],
        refs: &[],
        bad: concat!("TRAVIS_TOKEN=", "EXAMPLESPOcSeVce2LWxm0"),
        good: r#"token = os.environ["TRAVIS_CI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["travis"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:travis)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{22}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!("TRAVIS_TOKEN=", "EXAMPLESPOcSeVce2LWxm0")],
    false_positives: &[r#"travis_token = """#],
    ..BASE
};
