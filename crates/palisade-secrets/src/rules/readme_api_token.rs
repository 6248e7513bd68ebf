//! `readme-api-token`: ReadMe API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "readme-api-token",
        title: "ReadMe API key",
        provider: "ReadMe",
        severity: Medium,
        related: &["readme-api-token"],
        refs: &[],
        bad: concat!("rd", "me_examplevk99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemndijtood1qhgj99fj1m"),
        good: r#"token = os.environ["README_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["rdme_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(rdme_[a-z0-9]{70})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "rd",
        "me_examplevk99zlshibu425rx7bw98u4hvqyqbxyex8arvs5kybemndijtood1qhgj99fj1m"
    )],
    false_positives: &[
        "readme: 'rdme_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX';",
    ],
    ..BASE
};
