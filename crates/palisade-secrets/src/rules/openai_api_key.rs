//! `openai-api-key`: OpenAI API key.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "openai-api-key",
        title: "OpenAI API key",
        provider: "OpenAI",
        severity: High,
        related: &["openai-api-key"],
        refs: &[],
        bad: concat!("sk-proj-EXAMPLEmWrG1jQ4ILUNWh--UchpW5Nt6eP9raIsyfYwJELd10kW-UJPu-gSrzhuNvNgMXUxIN8T3Blb", "kFJEXAMPLEzP4ZnHUYOX8IoA50uOftJ80jJYUYKpH5bfNTUHFim0oNvwpZYRZY-RSxs0KrBRi0iaE"),
        good: r#"token = os.environ["OPENAI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["t3blbkfj"],
    regex: r#"(?m)\b(sk-(?:proj|svcacct|admin)-(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})T3BlbkFJ(?:[A-Za-z0-9_-]{74}|[A-Za-z0-9_-]{58})\b|sk-[a-zA-Z0-9]{20}T3BlbkFJ[a-zA-Z0-9]{20})"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sk-proj-EXAMPLEmWrG1jQ4ILUNWh--UchpW5Nt6eP9raIsyfYwJELd10kW-UJPu-gSrzhuNvNgMXUxIN8T3Blb", "kFJEXAMPLEzP4ZnHUYOX8IoA50uOftJ80jJYUYKpH5bfNTUHFim0oNvwpZYRZY-RSxs0KrBRi0iaE"),
        concat!("sk-EXAMPLEKBznKUrY2RY21T3Blb", "kFJEXAMPLEijoQ2WpGh5s5c"),
    ],
    false_positives: &[
        "sk-xxxxT3BlbkFJ",
    ],
    ..BASE
};
