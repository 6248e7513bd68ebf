//! `slack-config-access-token`: Slack app configuration access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "slack-config-access-token",
        title: "Slack app configuration access token",
        provider: "Slack",
        severity: High,
        related: &["slack-config-access-token"],
        refs: &["https://api.slack.com/authentication/token-types"],
        bad: concat!("xoxe.", "xoxp-1-EXAMPLEH7A1PCSHTWKHD6RF38J2H6IS0SRPF8S3OYM9X39T44TBPVOM68YZAWKPU9U5RSNSDBK9EW2D7Y2WG7OJ0VWIMR7G4RI0GA09H5ZJ0RHY23SWSWZ79YUA5Y2TL8TJ1YOFVUPUN1ABDQ5T8T81771Y3WCW2AE7O"),
        good: r#"token = os.environ["SLACK_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["xoxe.xox"],
    regex: r#"(?im)(xoxe\.xox[bp]-\d-[A-Z0-9]{163,166})\b"#,
    entropy: 3.0,
    true_positives: &[
        concat!("xoxe.", "xoxp-1-EXAMPLEH7A1PCSHTWKHD6RF38J2H6IS0SRPF8S3OYM9X39T44TBPVOM68YZAWKPU9U5RSNSDBK9EW2D7Y2WG7OJ0VWIMR7G4RI0GA09H5ZJ0RHY23SWSWZ79YUA5Y2TL8TJ1YOFVUPUN1ABDQ5T8T81771Y3WCW2AE7O"),
    ],
    false_positives: &[
        "xoxe.xoxp-1-PasteYourConfigTokenHere",
        "xoxe.xoxp-1-pending",
    ],
    ..BASE
};
