//! `pypi-upload-token`: PyPI API token.

use crate::rule::{SecretRule, BASE};

pub static RULE: SecretRule = SecretRule {
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
