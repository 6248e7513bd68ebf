//! npm rules.

use crate::rule::{SecretRule, BASE};

pub static NPM: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "npm-access-token",
        title: "npm access token",
        provider: "npm",
        severity: Critical,
        related: &["npm-access-token"],
        refs: &["https://docs.npmjs.com/about-access-tokens"],
        bad: concat!("np", "m_EXAMPLE476fmFr3tMLIWfmiErX5W25oL7tcL"),
        good: r#"token = os.environ["NPM_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["npm_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(npm_[a-zA-Z0-9]{36})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("np", "m_EXAMPLE476fmFr3tMLIWfmiErX5W25oL7tcL")],
    false_positives: &["npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ..BASE
};

pub static PYPI: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "pypi-upload-token",
        title: "PyPI API token",
        provider: "PyPI",
        severity: Critical,
        related: &["pypi-upload-token"],
        refs: &["https://pypi.org/help/#apitoken"],
        bad: concat!("pypi-AgEI", "cHlwaS5vcmcEXAMPLEmaSytMgwQS59FQUwoMi6mouY7eefm0q1TjVuUvlQa9MtHmnEot-IpP7FufGUzKZ"),
        good: r#"token = os.environ["PYPI_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["pypi-ageichlwas5vcmc"],
    regex: r#"(?m)(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "pypi-AgEI",
        "cHlwaS5vcmcEXAMPLEmaSytMgwQS59FQUwoMi6mouY7eefm0q1TjVuUvlQa9MtHmnEot-IpP7FufGUzKZ"
    )],
    false_positives: &["pypi-AgEIcHlwaS5vcmc"],
    ..BASE
};

pub static RUBYGEMS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "rubygems-api-token",
        title: "RubyGems API key",
        provider: "RubyGems",
        severity: Critical,
        related: &["rubygems-api-token"],
        refs: &[],
        bad: concat!("ruby", "gems_c0ffee64773031f6725480dc3932677172a31659a2e50add"),
        good: r#"token = os.environ["RUBYGEMS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["rubygems_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(rubygems_[a-f0-9]{48})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!(
        "ruby",
        "gems_c0ffee64773031f6725480dc3932677172a31659a2e50add"
    )],
    false_positives: &["rubygems_x"],
    ..BASE
};

pub static NUGET: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "nuget-api-key",
        title: "NuGet API key",
        provider: "NuGet",
        severity: Critical,
        related: &[],
        refs: &[],
        bad: concat!("oy", "2examplecfpj6kjwinmovea4c57veemdx0fwk55iqtd3"),
        good: r#"token = os.environ["NUGET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["oy2"],
    regex: r#"(?m)\b(oy2[a-z0-9]{43})\b"#,
    entropy: 3.5,
    true_positives: &[concat!(
        "oy",
        "2examplecfpj6kjwinmovea4c57veemdx0fwk55iqtd3"
    )],
    false_positives: &["oy2short"],
    ..BASE
};

pub static NUGET_CONFIG: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "nuget-config-password",
        title: "Clear-text password in NuGet.config",
        provider: "NuGet",
        severity: High,
        related: &["nuget-config-password"],
        refs: &[],
        bad: concat!(r#"<add key="ClearText"#, r#"Password" value="EXAMPLE1YZRLkBy0" />"#),
        good: r#"token = os.environ["NUGET_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["cleartextpassword"],
    regex: r#"(?i)<add\s+key\s*=\s*"ClearTextPassword"\s+value\s*=\s*"([^"$%]{1,200})""#,
    entropy: 1.0,
    true_positives: &[concat!(
        r#"<add key="ClearText"#,
        r#"Password" value="EXAMPLE1YZRLkBy0" />"#
    )],
    false_positives: &[r#"<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />"#],
    ..BASE
};

pub static CLOJARS: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "clojars-api-token",
        title: "Clojars deploy token",
        provider: "Clojars",
        severity: High,
        related: &["clojars-api-token"],
        refs: &[],
        bad: concat!("CLOJ", "ARS_example6t8heqopm39p5dzzvyzfov1tat5bh400t3jv8nfwz3csvfrl208ph"),
        good: r#"token = os.environ["CLOJARS_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["clojars_"],
    regex: r#"(?im)(CLOJARS_[a-z0-9]{60})\b"#,
    entropy: 2.0,
    true_positives: &[concat!(
        "CLOJ",
        "ARS_example6t8heqopm39p5dzzvyzfov1tat5bh400t3jv8nfwz3csvfrl208ph"
    )],
    false_positives: &["CLOJARS_x"],
    ..BASE
};

pub static DOCKERHUB: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "docker-hub-pat",
        title: "Docker Hub personal access token",
        provider: "Docker Hub",
        severity: High,
        related: &[],
        refs: &[],
        bad: concat!("dckr", "_pat_EXAMPLEBfWxXIQtUvCSYN-OyuYb"),
        good: r#"token = os.environ["DOCKER_HUB_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &["dckr_pat_", "dckr_oat_"],
    regex: r#"(?m)(?:^|[^A-Za-z0-9_])(dckr_(?:pat|oat)_[a-zA-Z0-9_-]{27,32})(?:[^A-Za-z0-9_-]|$)"#,
    entropy: 3.0,
    true_positives: &[concat!("dckr", "_pat_EXAMPLEBfWxXIQtUvCSYN-OyuYb")],
    false_positives: &["dckr_pat_x"],
    ..BASE
};

pub static DOCKER_AUTH: SecretRule = SecretRule {
    meta: crate::token_meta!(
        id: "docker-config-auth",
        title: "Registry credentials in a Docker config.json",
        provider: "Docker",
        severity: High,
        related: &[],
        refs: &[],
        bad: concat!(r#"{"auths": {"registry.example.com": {"au"#, r#"th": "ZGVtbzoEXAMPLEa2lg8pDKZQqVw"}}}"#),
        good: r#"token = os.environ["DOCKER_TOKEN"]  # injected at runtime"#,
    ),
    keywords: &[r#""auth""#],
    regex: r#"(?m)"auths?"\s*:\s*\{\s*"[^"]+"\s*:\s*\{\s*"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})""#,
    entropy: 3.0,
    true_positives: &[concat!(
        r#"{"auths": {"registry.example.com": {"au"#,
        r#"th": "ZGVtbzoEXAMPLEa2lg8pDKZQqVw"}}}"#
    )],
    false_positives: &[r#"{"auths": {"registry.example.com": {"auth": ""}}}"#],
    ..BASE
};
