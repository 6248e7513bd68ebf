//! `mailchimp-api-key`: Mailchimp API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "mailchimp-api-key",
        title: "Mailchimp API key",
        provider: "Mailchimp",
        severity: High,
        related: &["mailchimp-api-key"],
        refs: &[],
        bad: concat!("mailchimp_api_key: ", "c0ffeeaafb77b4460ecec9524998a262-us18"),
        good: r#"token = os.environ["MAILCHIMP_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["mailchimp"],
    regex: r#"(?im)mailchimp[\w.-]{0,20}\s*[\'"]?\s*(?::{1,3}=|=>|=|:)\s*[\'"]?(?-i:([0-9a-f]{32}-us[0-9]{1,2}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "mailchimp_api_key: ",
        "c0ffeeaafb77b4460ecec9524998a262-us18"
    )],
    false_positives: &["MailchimpClient.configure(apiKey: 9b2e4f6a8c0d1e3f5a7b9c1d3e5f7a9b-us6)"],
    ..BASE
};
