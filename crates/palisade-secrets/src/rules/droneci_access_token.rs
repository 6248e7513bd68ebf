//! `droneci-access-token`: Drone CI access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "droneci-access-token",
        title: "Drone CI access token",
        provider: "Drone CI",
        severity: High,
        related: &["droneci-access-token"],
        refs: &[],
        bad: concat!("DRONE_TOKEN=", "EXAMPLE90I5Qe43W6T8ygpnnhcc826ZW"),
        good: r#"token = os.environ["DRONE_CI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["drone"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:drone)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.5,
    true_positives: &[concat!("DRONE_TOKEN=", "EXAMPLE90I5Qe43W6T8ygpnnhcc826ZW")],
    false_positives: &[r#"drone_token = """#],
    ..BASE
};
