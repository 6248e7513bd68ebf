//! `sidekiq-sensitive-url`: Sidekiq Pro / Enterprise credentials in a URL.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sidekiq-sensitive-url",
        title: "Sidekiq Pro / Enterprise credentials in a URL",
        provider: "Sidekiq",
        severity: High,
        related: &["sidekiq-sensitive-url"],
        refs: &[],
        bad: concat!("https://cafebabe:c0ffeee0@gems.contrib", "sys.com/"),
        good: r#"token = os.environ["SIDEKIQ_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["contribsys.com"],
    regex: r#"(?i)\bhttps?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\.contribsys\.com(?:[/|#?:]|$)"#,
    true_positives: &[concat!(
        "https://cafebabe:c0ffeee0@gems.contrib",
        "sys.com/"
    )],
    false_positives: &["https://gems.contribsys.com/"],
    ..BASE
};
