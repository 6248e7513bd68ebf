//! `dropbox-api-token`: Dropbox access token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "dropbox-api-token",
        title: "Dropbox access token",
        provider: "Dropbox",
        severity: High,
        related: &["dropbox-api-token", "dropbox-short-lived-api-token", "dropbox-long-lived-api-token"],
        refs: &[],
        bad: concat!("s", "l.EXAMPLEw00BgB7FpkV3bbH_uy8qM3AsYaLcW4PDRiqgkKfLNuoliMdVwY1pp7M_4Xn3DWzP9WYJof5Hzt4XJUtv2tIEpc1ke4M4innZMcWUq8lcdtCklyjrL14GEOgm0Nhom2iBJ-Lx3"),
        good: r#"token = os.environ["DROPBOX_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dropbox", "sl."],
    regex: r#"(?m)(?:\b(sl\.[a-zA-Z0-9_-]{130,152})(?:[^\w-]|$)|(?i:dropbox)[\w.-]{0,20}\s*[\'"]?\s*(?:=|:)\s*[\'"]?([a-zA-Z0-9]{11}AAAAAAAAAA[a-zA-Z0-9_=-]{43}|[a-z0-9]{15})\b)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("s", "l.EXAMPLEw00BgB7FpkV3bbH_uy8qM3AsYaLcW4PDRiqgkKfLNuoliMdVwY1pp7M_4Xn3DWzP9WYJof5Hzt4XJUtv2tIEpc1ke4M4innZMcWUq8lcdtCklyjrL14GEOgm0Nhom2iBJ-Lx3"),
    ],
    false_positives: &[
        r#"dropbox_folder = "x""#,
    ],
    ..BASE
};
