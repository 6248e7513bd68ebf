//! `adafruit-api-key`: Adafruit IO key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "adafruit-api-key",
        title: "Adafruit IO key",
        provider: "Adafruit IO",
        severity: Medium,
        related: &["adafruit-api-key"],
        refs: &[],
        bad: concat!("ADAFRUIT_IO_KEY=", "examplex529kdgfc6jrel7bbo2f38plm"),
        good: r#"token = os.environ["ADAFRUIT_IO_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["adafruit"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:adafruit)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9_-]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ADAFRUIT_IO_KEY=",
        "examplex529kdgfc6jrel7bbo2f38plm"
    )],
    false_positives: &[r#"adafruit_user = "x""#],
    ..BASE
};
