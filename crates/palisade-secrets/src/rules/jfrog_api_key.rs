//! `jfrog-api-key`: JFrog Artifactory API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "jfrog-api-key",
        title: "JFrog Artifactory API key",
        provider: "JFrog Artifactory",
        severity: High,
        related: &["artifactory-api-key", "jfrog-api-key"],
        refs: &[],
        bad: concat!("AK", "CpEXAMPLE16dqYGTVPWEdgjuWa8mRVtLLCWPgEuxqyhxEykCpZj6R5aDT6mZck71oe7N3x4"),
        good: r#"token = os.environ["JFROG_ARTIFACTORY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["akcp"],
    regex: r#"(?m)\b(AKCp[A-Za-z0-9]{69})\b"#,
    entropy: 4.5,
    true_positives: &[concat!(
        "AK",
        "CpEXAMPLE16dqYGTVPWEdgjuWa8mRVtLLCWPgEuxqyhxEykCpZj6R5aDT6mZck71oe7N3x4"
    )],
    false_positives: &[
        "artifactory: AKCpXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    ],
    ..BASE
};
