//! `rubygems-api-token`: RubyGems API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "rubygems-api-token",
        title: "RubyGems API key",
        provider: "RubyGems",
        severity: Critical,
        related: &["rubygems-api-token"],
        refs: &[],
        bad: concat!("ruby", "gems_c0ffee64773031f6725480dc3932677172a31659a2e50add"),
        good: r#"token = os.environ["RUBYGEMS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["rubygems_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(rubygems_[a-f0-9]{48})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ruby",
        "gems_c0ffee64773031f6725480dc3932677172a31659a2e50add"
    )],
    false_positives: &["rubygems_x"],
    ..BASE
};
