//! `jfrog-reference-token`: JFrog Artifactory reference token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "jfrog-reference-token",
        title: "JFrog Artifactory reference token",
        provider: "JFrog Artifactory",
        severity: High,
        related: &["artifactory-reference-token", "jfrog-identity-token"],
        refs: &[],
        bad: concat!("cmV", "mdEXAMPLEViXC9g77y1bOeCvu0oEhOxjvoVdlTCJ4jC3jrAApjbrK1svZkqFg"),
        good: r#"token = os.environ["JFROG_ARTIFACTORY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cmvmd"],
    regex: r#"(?m)\b(cmVmd[A-Za-z0-9]{59})\b"#,
    entropy: 4.5,
    true_positives: &[concat!(
        "cmV",
        "mdEXAMPLEViXC9g77y1bOeCvu0oEhOxjvoVdlTCJ4jC3jrAApjbrK1svZkqFg"
    )],
    false_positives: &[
        "artifactory: cmVmdXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    ],
    ..BASE
};
