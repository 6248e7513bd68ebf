//! `sumologic-access-id`: Sumo Logic access ID.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "sumologic-access-id",
        title: "Sumo Logic access ID",
        provider: "Sumo Logic",
        severity: Medium,
        related: &["sumologic-access-id"],
        refs: &[],
        bad: concat!(r#"SUMO_ACCESS_ID = "s"#, r#"uEXAMPLED9uYo""#),
        good: r#"token = os.environ["SUMO_LOGIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sumo"],
    regex: r#"(?im)(?:^|[^a-z])sumo(?:logic)?[_.-][\w.-]{0,20}?[\s\'"]{0,3}(?::{1,3}=|=>|=|:)[\s\'"]{0,5}(?-i:(su[a-zA-Z0-9]{12}))\b"#,
    entropy: 3.0,
    true_positives: &[concat!(r#"SUMO_ACCESS_ID = "s"#, r#"uEXAMPLED9uYo""#)],
    false_positives: &[
        "sumOfSquares = suAbCdEfGh1jKl",
        "export SUMOLOGIC_ACCESSID=XXXXXXXXXXXXXX",
    ],
    ..BASE
};
