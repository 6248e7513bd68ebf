//! `sidekiq-secret`: Sidekiq Pro / Enterprise credentials.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sidekiq-secret",
        title: "Sidekiq Pro / Enterprise credentials",
        provider: "Sidekiq",
        severity: High,
        related: &["sidekiq-secret"],
        refs: &[],
        bad: concat!("export BUNDLE_ENTERPRISE__CONTRIB", "SYS__COM=cafebabe:c0ffee7c"),
        good: r#"token = os.environ["SIDEKIQ_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[
        "bundle_enterprise__contribsys__com",
        "bundle_gems__contribsys__com",
    ],
    regex: r#"(?im)BUNDLE_(?:ENTERPRISE|GEMS)__CONTRIBSYS__COM\s*[\'"]?\s*(?::|=)\s*[\'"]?([a-f0-9]{8}:[a-f0-9]{8})\b"#,
    true_positives: &[concat!(
        "export BUNDLE_ENTERPRISE__CONTRIB",
        "SYS__COM=cafebabe:c0ffee7c"
    )],
    false_positives: &["BUNDLE_GEMS__CONTRIBSYS__COM: ${SIDEKIQ}"],
    ..BASE
};
