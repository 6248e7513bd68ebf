//! OpenAI rules.

use crate::rule::{SecretRule, BASE};

pub static OPENAI: SecretRule = SecretRule {
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

pub static ANTHROPIC: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "anthropic-api-key",
        title: "Anthropic API key",
        provider: "Anthropic",
        severity: High,
        related: &["anthropic-api-key"],
        refs: &[],
        bad: concat!("sk-ant-", "api03-EXAMPLEWKqXJiIBCNmUkUcjpPBa6r5Jh5ef7o9CLRQDBAKdCwdI2ViJloZX0ChVQGj9r366yRyoZvKyjc4zzHzLcciTA1AA"),
        good: r#"token = os.environ["ANTHROPIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk-ant-api03"],
    regex: r#"(?m)\b(sk-ant-api03-[a-zA-Z0-9_-]{93}AA)(?:[^a-zA-Z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sk-ant-", "api03-EXAMPLEWKqXJiIBCNmUkUcjpPBa6r5Jh5ef7o9CLRQDBAKdCwdI2ViJloZX0ChVQGj9r366yRyoZvKyjc4zzHzLcciTA1AA"),
    ],
    false_positives: &[
        "sk-ant-api03-abc",
    ],
    ..BASE
};

pub static ANTHROPIC_ADMIN: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "anthropic-admin-api-key",
        title: "Anthropic Admin API key",
        provider: "Anthropic",
        severity: Critical,
        related: &["anthropic-admin-api-key"],
        refs: &[],
        bad: concat!("sk-ant-", "admin01-EXAMPLEbHTuOTNnfwT1d6nRntU8_kRO8qnGXATGcyJ3Xu3rrboBWdbl7fAjPR7_AaFATWnmqz464ig8vZE88sp-WiEDaYAA"),
        good: r#"token = os.environ["ANTHROPIC_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["sk-ant-admin01"],
    regex: r#"(?m)\b(sk-ant-admin01-[a-zA-Z0-9_-]{93}AA)(?:[^a-zA-Z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[
        concat!("sk-ant-", "admin01-EXAMPLEbHTuOTNnfwT1d6nRntU8_kRO8qnGXATGcyJ3Xu3rrboBWdbl7fAjPR7_AaFATWnmqz464ig8vZE88sp-WiEDaYAA"),
    ],
    false_positives: &[
        "sk-ant-admin01-abc",
    ],
    ..BASE
};

pub static PERPLEXITY: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "perplexity-api-key",
        title: "Perplexity API key",
        provider: "Perplexity",
        severity: High,
        related: &["perplexity-api-key"],
        refs: &[],
        bad: concat!("pp", "lx-EXAMPLEKYV0oOVVPcpg6mZacDdzp879oXRc7JOK6AqcjDbEW"),
        good: r#"token = os.environ["PERPLEXITY_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pplx-"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(pplx-[a-zA-Z0-9]{48})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pp",
        "lx-EXAMPLEKYV0oOVVPcpg6mZacDdzp879oXRc7JOK6AqcjDbEW"
    )],
    false_positives: &["PERPLEXITY_API_KEY=pplx-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};

pub static HUGGINGFACE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "huggingface-access-token",
        title: "Hugging Face access token",
        provider: "Hugging Face",
        severity: High,
        related: &["huggingface-access-token"],
        refs: &[],
        bad: concat!("h", "f_EXAMPLEgWTgljZHkNGugGYyaebJPfGJNNM"),
        good: r#"token = os.environ["HUGGING_FACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["hf_"],
    regex: r#"(?m)\b(hf_(?-i:[a-zA-Z]{34}))\b"#,
    entropy: 3.0,
    validate: Some(crate::validate::mixed_case),
    true_positives: &[concat!("h", "f_EXAMPLEgWTgljZHkNGugGYyaebJPfGJNNM")],
    false_positives: &["- (void)hf_loadAccessoryConfigurationForCurrentHomeScreen;"],
    ..BASE
};

pub static HUGGINGFACE_ORG: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "huggingface-organization-api-token",
        title: "Hugging Face organization API token",
        provider: "Hugging Face",
        severity: High,
        related: &["huggingface-organization-api-token"],
        refs: &[],
        bad: concat!("api_", "org_EXAMPLEYZIeTdQINsDzQaJVnblGZDnhTPV"),
        good: r#"token = os.environ["HUGGING_FACE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["api_org_"],
    regex: r#"(?m)\b(api_org_(?-i:[a-zA-Z]{34}))\b"#,
    entropy: 3.0,
    validate: Some(crate::validate::mixed_case),
    true_positives: &[concat!("api_", "org_EXAMPLEYZIeTdQINsDzQaJVnblGZDnhTPV")],
    false_positives: &["const api_org_controller = 1;"],
    ..BASE
};

pub static COHERE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "cohere-api-token",
        title: "Cohere API key",
        provider: "Cohere",
        severity: High,
        related: &["cohere-api-token"],
        refs: &[],
        bad: concat!("CO_API_KEY=", "EXAMPLEnQBhNfIHwRgfUp242gfxrttWsjFMKvXma"),
        good: r#"token = os.environ["COHERE_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cohere", "co_api_key"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:cohere|co_api_key)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-zA-Z0-9]{40}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 4.0,
    true_positives: &[concat!(
        "CO_API_KEY=",
        "EXAMPLEnQBhNfIHwRgfUp242gfxrttWsjFMKvXma"
    )],
    false_positives: &["CO_API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};

pub static DATABRICKS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "databricks-api-token",
        title: "Databricks personal access token",
        provider: "Databricks",
        severity: High,
        related: &["databricks-api-token"],
        refs: &[],
        bad: concat!("da", "pic0ffee22136ced620104d159e8489b0a"),
        good: r#"token = os.environ["DATABRICKS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dapi"],
    regex: r#"(?m)\b(dapi[a-f0-9]{32}(?:-\d)?)\b"#,
    entropy: 3.0,
    true_positives: &[concat!("da", "pic0ffee22136ced620104d159e8489b0a")],
    false_positives: &["DATABRICKS_TOKEN=dapi0f1e2d3c4b5a69788796a5b4c3d2e1fzq9"],
    ..BASE
};

pub static PRIVATEAI: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "privateai-api-token",
        title: "Private AI API key",
        provider: "Private AI",
        severity: Medium,
        related: &["privateai-api-token"],
        refs: &[],
        bad: concat!("PRIVATEAI_API_KEY=", "exampleygk2k4urpa08bvo8wvapvf8kg"),
        good: r#"token = os.environ["PRIVATE_AI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["privateai", "private_ai", "private-ai"],
    regex: r#"(?im)(?:^|[^a-z0-9])(?:private[_-]?ai)[\w.-]{0,25}?[\s\'"]{0,3}(?::{1,3}=|\?=|=>|=|:)[\s\'"\x60]{0,5}((?-i:[a-z0-9]{32}))(?:[\x60\'"\s;,)]|\\[nr]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "PRIVATEAI_API_KEY=",
        "exampleygk2k4urpa08bvo8wvapvf8kg"
    )],
    false_positives: &[r#"PRIVATEAI_API_KEY = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb""#],
    ..BASE
};

pub static CLICKHOUSE: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "clickhouse-cloud-api-secret-key",
        title: "ClickHouse Cloud API secret key",
        provider: "ClickHouse Cloud",
        severity: High,
        related: &["clickhouse-cloud-api-secret-key"],
        refs: &[],
        bad: concat!("4b", "1dEXAMPLEc02uBOvxeIh9DknHdPQIp86A76HSX9O"),
        good: r#"token = os.environ["CLICKHOUSE_CLOUD_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["4b1d"],
    regex: r#"(?m)\b(4b1d[A-Za-z0-9]{38})\b"#,
    entropy: 3.5,
    true_positives: &[concat!("4b", "1dEXAMPLEc02uBOvxeIh9DknHdPQIp86A76HSX9O")],
    false_positives: &[
        "clickhouse = 4b1dYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY",
        "id = xyz4b1dQw8Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6n",
    ],
    ..BASE
};
