//! `sonar-api-token`: SonarQube / SonarCloud token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sonar-api-token",
        title: "SonarQube / SonarCloud token",
        provider: "SonarQube",
        severity: High,
        related: &["sonar-api-token"],
        refs: &[],
        bad: concat!(r#"SONAR_TOKEN = "sq"#, r#"u_c0ffeecc7e90a88d519448fb2fc6791ce680ce2b""#),
        good: r#"token = os.environ["SONARQUBE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sonar"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:sonar)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?:squ_|sqp_|sqa_)?[a-z0-9]{40})(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    true_positives: &[concat!(
        r#"SONAR_TOKEN = "sq"#,
        r#"u_c0ffeecc7e90a88d519448fb2fc6791ce680ce2b""#
    )],
    false_positives: &[r#"sonar_host = "https://sonarcloud.io""#],
    ..BASE
};
