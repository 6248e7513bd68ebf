//! `atlassian-api-token`: Atlassian API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "atlassian-api-token",
        title: "Atlassian API token",
        provider: "Atlassian",
        severity: High,
        related: &["atlassian-api-token"],
        refs: &[],
        bad: concat!("JIRA_API_TOKEN=", "EXAMPLEdWG5yP8Yib2eNUS0h"),
        good: r#"token = os.environ["ATLASSIAN_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["atlassian", "confluence", "jira", "atatt3"],
    regex: r#"(?im)(?:(?:^|[^a-z0-9])(?:atlassian|confluence|jira)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{24}))(?:[\x60\'"\s;,)]|\\[nr]|$)|(?:^|[^A-Za-z0-9_])(?-i:(ATATT3[A-Za-z0-9_\-=]{186})))"#,
    entropy: 3.5,
    validate: Some(crate::validate::not_all_letters_or_digits),
    true_positives: &[
        concat!("JIRA_API_TOKEN=", "EXAMPLEdWG5yP8Yib2eNUS0h"),
        concat!("AT", "ATT3EXAMPLEyq_KvCiSGuPJ6sG9AHEOVezxZuJPWvHogU5nGYVHWVsUQk4DwgLGNOaeCtL31Ugq_DfcgaTMnTC0MrAU8urbFt5misIZHbhS4-FvafhdZxEuhnbzs0z1wNiMg9aW37k5wCnHDepQHgI3HLBkbvHEzuPyXQEW88ad3DNBYjvsedonuSsddfr"),
    ],
    false_positives: &[
        "listConfluencePages,exportConfluenceSpaceAsPdf",
    ],
    ..BASE
};
