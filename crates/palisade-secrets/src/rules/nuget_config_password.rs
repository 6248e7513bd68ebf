//! `nuget-config-password`: Clear-text password in NuGet.config.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "nuget-config-password",
        title: "Clear-text password in NuGet.config",
        provider: "NuGet",
        severity: High,
        related: &["nuget-config-password"],
        refs: &[],
        bad: concat!(r#"<add key="ClearText"#, r#"Password" value="EXAMPLE1YZRLkBy0" />"#),
        good: r#"token = os.environ["NUGET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cleartextpassword"],
    regex: r#"(?i)<add\s+key\s*=\s*"ClearTextPassword"\s+value\s*=\s*"([^"$%]{1,200})""#,
    entropy: 1.0,
    true_positives: &[concat!(
        r#"<add key="ClearText"#,
        r#"Password" value="EXAMPLE1YZRLkBy0" />"#
    )],
    false_positives: &[r#"<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />"#],
    ..BASE
};
